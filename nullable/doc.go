// Package nullable provides [Value], an immutable "T or null", and [Field],
// which adds a third state, absent, for PATCH-style input.
//
// The zero Value is null; [Of] makes a non-null one. Every helper is a plain
// function of values, and nothing on the accessor and helper paths allocates
// ([Value.Ptr] returns a fresh copy and [Value.String] formats, so those
// two may).
//
//	age := nullable.Of(42)
//	nick := nullable.Null[string]()
//	fmt.Println(age.Or(0), nick.IsNull()) // 42 true
//
// # Construction and access
//
// [Of], [Null] and [FromPtr] build values; [Value.Get], [Value.Or],
// [Value.OrElse], [Value.MustGet], [Value.IsNull], [Value.Ptr] and
// [Value.String] read them.
//
// # Functional helpers
//
// [Map], [Bind], [Match] and [Filter] are free functions (a method cannot
// introduce a new type parameter before Go 1.27). [Coalesce] returns the
// first non-null value, like C#'s ?? or SQL's COALESCE.
//
// # Comparison
//
// [Equal] compares comparable values with ==. [Compare] is a total order for
// cmp.Ordered values with null first, and [CompareFunc] takes the comparison
// of values as an argument.
//
// # Three-valued logic
//
// [And], [Or] and [Not] on Value[bool] follow SQL: null means unknown, so
// false AND null is false, true OR null is true, and NOT null is null.
//
// # Encodings
//
// Value and Field implement, with the same meaning everywhere:
//
//   - encoding/json (MarshalJSON, UnmarshalJSON) and json/v2
//     (github.com/go-json-experiment/json: MarshalJSONTo, UnmarshalJSONFrom).
//     null is JSON null; a value is T's json/v2 encoding, and both
//     generations produce the same bytes and accept the same input (the
//     held value is always encoded by json/v2, so a struct T follows
//     json/v2's rules under encoding/json too). Where encoding/json is
//     itself built on json/v2 (GOEXPERIMENT=jsonv2, Go 1.27), it calls the
//     v2 methods with its own options, and the held value follows those
//     (U+2028 escaped, invalid UTF-8 accepted). IsZero reports null (absent
//     for a Field), so `omitzero` drops it. String, bool, integer, float and
//     time.Time values take a path without reflection, which steps aside
//     when the caller's options (json.StringifyNumbers, json.WithMarshalers,
//     json.WithUnmarshalers, jsontext.AllowInvalidUTF8) would change T's
//     form.
//   - encoding/xml as an element (null is an empty element marked
//     xsi:nil="true") and as an attribute (null omits it).
//   - encoding.TextMarshaler and TextUnmarshaler (null is the empty text).
//   - database/sql.Scanner and driver.Valuer (null is SQL NULL), delegating
//     to T's own Scan and Value methods and otherwise following
//     database/sql's conversion rules.
//
// # Field: absent, null or a value
//
// A [Field] starts absent and stays absent unless a decoder visits it, so a
// PATCH handler can tell {} from {"name": null}; [Field.Apply] applies the
// patch to a stored Value.
//
// # Errors
//
// Bad input never panics. Decoding returns a *[DecodeError] (JSON, XML,
// text), Scan a *[ScanError], Value a *[ValuerError]; each names T and
// unwraps to its cause. Only [Value.MustGet] panics, on a null Value.
//
// # Concurrency
//
// Value and Field are immutable values: copies are independent, and any
// number of goroutines may read one as long as T itself is safe to read
// concurrently. The Unmarshal and Scan methods write through a pointer and,
// like any write, must not run concurrently with other uses of that
// variable. For a shared, atomically replaceable nullable see
// github.com/dext-go/dext/atomicx.
package nullable
