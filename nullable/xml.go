package nullable

import (
	"encoding/xml"
)

var (
	_ xml.Marshaler       = Value[int]{}
	_ xml.Unmarshaler     = (*Value[int])(nil)
	_ xml.MarshalerAttr   = Value[int]{}
	_ xml.UnmarshalerAttr = (*Value[int])(nil)
	_ xml.Marshaler       = Field[int]{}
	_ xml.Unmarshaler     = (*Field[int])(nil)
	_ xml.MarshalerAttr   = Field[int]{}
	_ xml.UnmarshalerAttr = (*Field[int])(nil)
)

// xsiNS is the XML Schema instance namespace, whose nil attribute marks a
// null element.
const xsiNS = "http://www.w3.org/2001/XMLSchema-instance"

// MarshalXML implements xml.Marshaler. A value is encoded by encoding/xml as
// T itself would be. A null Value is an empty element marked with the XML
// Schema nil attribute, so it keeps its place in lists and round-trips:
//
//	<age xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"></age>
func (v Value[T]) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	if !v.valid {
		return encodeNilElement(e, start)
	}
	return e.EncodeElement(v.v, start)
}

// UnmarshalXML implements xml.Unmarshaler. An element with xsi:nil="true"
// (in the XML Schema instance namespace, or with an undeclared "xsi" prefix)
// makes v null; any other element is decoded by encoding/xml as T. A missing
// element leaves v as it was (null when it was never set). Content T cannot
// hold returns a *[DecodeError] and leaves v unchanged.
func (v *Value[T]) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	if isNilElement(start) {
		if err := d.Skip(); err != nil {
			return decodeErr[T]("XML", err)
		}
		*v = Value[T]{}
		return nil
	}
	var t T
	if err := d.DecodeElement(&t, &start); err != nil {
		return decodeErr[T]("XML", err)
	}
	*v = Value[T]{v: t, valid: true}
	return nil
}

// MarshalXMLAttr implements xml.MarshalerAttr: a null Value omits the
// attribute, a value is written in its text form (see [Value.MarshalText]).
func (v Value[T]) MarshalXMLAttr(name xml.Name) (xml.Attr, error) {
	if !v.valid {
		return xml.Attr{}, nil
	}
	b, err := appendText(nil, &v.v)
	if err != nil {
		return xml.Attr{}, err
	}
	return xml.Attr{Name: name, Value: string(b)}, nil
}

// UnmarshalXMLAttr implements xml.UnmarshalerAttr: an attribute that is
// present holds a value (even when empty, for string T); a missing attribute
// leaves v null.
func (v *Value[T]) UnmarshalXMLAttr(attr xml.Attr) error {
	var t T
	if err := parseAttr(attr.Value, &t); err != nil {
		return err
	}
	*v = Value[T]{v: t, valid: true}
	return nil
}

// MarshalXML implements xml.Marshaler. An absent Field writes nothing (the
// element is omitted), a null one is an element marked xsi:nil="true", and a
// value is encoded as T. Decoding gives back all three states.
func (f Field[T]) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	switch f.state {
	case absent:
		return nil
	case null:
		return encodeNilElement(e, start)
	}
	return e.EncodeElement(f.v, start)
}

// UnmarshalXML implements xml.Unmarshaler: xsi:nil="true" makes f null, any
// other element makes f hold its content, and a missing element leaves f
// absent.
func (f *Field[T]) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var v Value[T]
	if err := v.UnmarshalXML(d, start); err != nil {
		return err
	}
	*f = FieldFrom(v)
	return nil
}

// MarshalXMLAttr implements xml.MarshalerAttr. An attribute cannot carry a
// null, so both absent and null omit it, and decoding gives back absent: use
// the element form where null and absent must differ.
func (f Field[T]) MarshalXMLAttr(name xml.Name) (xml.Attr, error) {
	return f.AsValue().MarshalXMLAttr(name)
}

// UnmarshalXMLAttr implements xml.UnmarshalerAttr: a present attribute makes
// f hold its value.
func (f *Field[T]) UnmarshalXMLAttr(attr xml.Attr) error {
	var t T
	if err := parseAttr(attr.Value, &t); err != nil {
		return err
	}
	*f = Field[T]{v: t, state: present}
	return nil
}

func parseAttr[T any](s string, p *T) error {
	if err := parseText([]byte(s), p); err != nil {
		return decodeErr[T]("XML", err)
	}
	return nil
}

func encodeNilElement(e *xml.Encoder, start xml.StartElement) error {
	attrs := make([]xml.Attr, 0, len(start.Attr)+2)
	attrs = append(attrs, start.Attr...)
	attrs = append(attrs,
		xml.Attr{Name: xml.Name{Local: "xmlns:xsi"}, Value: xsiNS},
		xml.Attr{Name: xml.Name{Local: "xsi:nil"}, Value: "true"})
	start.Attr = attrs
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	return e.EncodeToken(start.End())
}

func isNilElement(start xml.StartElement) bool {
	for _, a := range start.Attr {
		if a.Name.Local == "nil" && (a.Name.Space == xsiNS || a.Name.Space == "xsi") {
			return a.Value == "true" || a.Value == "1"
		}
	}
	return false
}
