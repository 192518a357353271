package nullable_test

import (
	"database/sql/driver"
	stdjson "encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/dext-go/dext/nullable"
	"github.com/go-json-experiment/json"
)

func Example() {
	age := nullable.Of(42)
	nick := nullable.Null[string]()
	fmt.Println(age, nick)
	fmt.Println(age.Or(0), nick.Or("anonymous"), nick.IsNull())
	// Output:
	// 42 null
	// 42 anonymous true
}

func ExampleValue_Get() {
	for _, v := range []nullable.Value[string]{nullable.Of("Ada"), nullable.Null[string]()} {
		if name, ok := v.Get(); ok {
			fmt.Println("hello,", name)
		} else {
			fmt.Println("no name")
		}
	}
	// Output:
	// hello, Ada
	// no name
}

func ExampleFromPtr() {
	var p *int
	fmt.Println(nullable.FromPtr(p), nullable.FromPtr(new(7)).Ptr() != nil)
	// Output: null true
}

func ExampleMap() {
	price := nullable.Of(1999)
	label := nullable.Map(price, func(cents int) string { return fmt.Sprintf("$%d.%02d", cents/100, cents%100) })
	none := nullable.Map(nullable.Null[int](), func(int) string { return "never called" })
	fmt.Println(label, none)
	// Output: $19.99 null
}

func ExampleBind() {
	parse := func(s string) nullable.Value[int] {
		var n int
		if _, err := fmt.Sscanf(s, "%d", &n); err != nil {
			return nullable.Null[int]()
		}
		return nullable.Of(n)
	}
	fmt.Println(nullable.Bind(nullable.Of("12"), parse), nullable.Bind(nullable.Of("x"), parse))
	// Output: 12 null
}

func ExampleMatch() {
	greet := func(v nullable.Value[string]) string {
		return nullable.Match(v,
			func(name string) string { return "hello, " + name },
			func() string { return "hello, stranger" })
	}
	fmt.Println(greet(nullable.Of("Ada")))
	fmt.Println(greet(nullable.Null[string]()))
	// Output:
	// hello, Ada
	// hello, stranger
}

func ExampleFilter() {
	positive := func(n int) bool { return n > 0 }
	fmt.Println(nullable.Filter(nullable.Of(3), positive), nullable.Filter(nullable.Of(-3), positive))
	// Output: 3 null
}

func ExampleCoalesce() {
	fromFlag, fromEnv, fallback := nullable.Null[string](), nullable.Of("env"), nullable.Of("default")
	fmt.Println(nullable.Coalesce(fromFlag, fromEnv, fallback))
	// Output: env
}

func ExampleCompare() {
	vs := []nullable.Value[int]{nullable.Of(3), nullable.Null[int](), nullable.Of(1)}
	slices.SortFunc(vs, nullable.Compare[int])
	fmt.Println(vs)
	fmt.Println(nullable.Equal(nullable.Of(1), nullable.Of(1)), nullable.Equal(nullable.Of(1), nullable.Null[int]()))
	// Output:
	// [null 1 3]
	// true false
}

func ExampleCompareFunc() {
	vs := []nullable.Value[string]{nullable.Of("b"), nullable.Null[string](), nullable.Of("A")}
	slices.SortFunc(vs, func(a, b nullable.Value[string]) int {
		return nullable.CompareFunc(a, b, func(x, y string) int { return strings.Compare(strings.ToLower(x), strings.ToLower(y)) })
	})
	fmt.Println(vs)
	// Output: [null A b]
}

func ExampleAnd() {
	t, f, unknown := nullable.Of(true), nullable.Of(false), nullable.Null[bool]()
	fmt.Println(nullable.And(t, unknown), nullable.And(f, unknown))
	fmt.Println(nullable.Or(t, unknown), nullable.Or(f, unknown))
	fmt.Println(nullable.Not(unknown))
	// Output:
	// null false
	// true null
	// null
}

func ExampleValue_MarshalJSONTo() {
	type user struct {
		Name  nullable.Value[string] `json:"name"`
		Email nullable.Value[string] `json:"email,omitzero"`
		Age   nullable.Value[int]    `json:"age"`
	}
	u := user{Name: nullable.Of("Ada")}
	v2, _ := json.Marshal(u)
	v1, _ := stdjson.Marshal(u)
	fmt.Println(string(v2))
	fmt.Println(string(v1))
	var back user
	err := json.Unmarshal([]byte(`{"name":null,"age":36}`), &back)
	fmt.Println(back.Name, back.Age, err)
	// Output:
	// {"name":"Ada","age":null}
	// {"name":"Ada","age":null}
	// null 36 <nil>
}

func ExampleField() {
	type patch struct {
		Nick nullable.Field[string] `json:"nick,omitzero"`
		Bio  nullable.Field[string] `json:"bio,omitzero"`
	}
	stored := struct{ Nick, Bio nullable.Value[string] }{nullable.Of("ada"), nullable.Of("mathematician")}
	var p patch
	if err := json.Unmarshal([]byte(`{"nick":null}`), &p); err != nil {
		panic(err)
	}
	stored.Nick, stored.Bio = p.Nick.Apply(stored.Nick), p.Bio.Apply(stored.Bio)
	fmt.Println(p.Nick.IsNull(), p.Bio.IsAbsent())
	fmt.Println(stored.Nick, stored.Bio)
	out, _ := json.Marshal(p)
	fmt.Println(string(out))
	// Output:
	// true true
	// null mathematician
	// {"nick":null}
}

func ExampleValue_MarshalXML() {
	type item struct {
		XMLName xml.Name               `xml:"item"`
		ID      nullable.Value[int]    `xml:"id,attr"`
		Price   nullable.Value[int]    `xml:"price"`
		Note    nullable.Field[string] `xml:"note"`
	}
	out, _ := xml.Marshal(item{Price: nullable.Of(5)})
	fmt.Println(string(out))
	out, _ = xml.Marshal(item{ID: nullable.Of(1)})
	fmt.Println(string(out))
	// Output:
	// <item><price>5</price></item>
	// <item id="1"><price xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"></price></item>
}

func ExampleValue_MarshalText() {
	b, _ := nullable.Of(2.5).MarshalText()
	n, _ := nullable.Null[float64]().MarshalText()
	var v nullable.Value[int]
	err := v.UnmarshalText([]byte("12"))
	fmt.Printf("%q %q %v %v\n", b, n, v, err)
	// Output: "2.5" "" 12 <nil>
}

func ExampleValue_Scan() {
	var n nullable.Value[int32]
	_ = n.Scan(int64(7)) // what a driver hands over for an INTEGER column
	fmt.Println(n)
	_ = n.Scan(nil) // SQL NULL
	fmt.Println(n)
	err := n.Scan("seven")
	var se *nullable.ScanError
	fmt.Println(errors.As(err, &se), se.Type, n)
	v, _ := nullable.Of(int32(7)).Value()
	fmt.Printf("%T %v\n", v, driver.IsValue(v))
	// Output:
	// 7
	// null
	// true int32 null
	// int64 true
}

func ExampleDecodeError() {
	var v nullable.Value[int64]
	err := json.Unmarshal([]byte(`"12"`), &v)
	var de *nullable.DecodeError
	fmt.Println(errors.As(err, &de), de.Type)
	// Output: true int64
}
