package nullable

// And is SQL's three-valued AND: false when either operand is false, else
// null when either is null, else true.
//
//	AND   | true  false null
//	true  | true  false null
//	false | false false false
//	null  | null  false null
func And(a, b Value[bool]) Value[bool] {
	if (a.valid && !a.v) || (b.valid && !b.v) {
		return Of(false)
	}
	if !a.valid || !b.valid {
		return Value[bool]{}
	}
	return Of(true)
}

// Or is SQL's three-valued OR: true when either operand is true, else null
// when either is null, else false. (The method [Value.Or], which supplies a
// default, is unrelated.)
//
//	OR    | true  false null
//	true  | true  true  true
//	false | true  false null
//	null  | true  null  null
func Or(a, b Value[bool]) Value[bool] {
	if (a.valid && a.v) || (b.valid && b.v) {
		return Of(true)
	}
	if !a.valid || !b.valid {
		return Value[bool]{}
	}
	return Of(false)
}

// Not is SQL's three-valued NOT: null stays null, true and false swap.
func Not(a Value[bool]) Value[bool] {
	if !a.valid {
		return a
	}
	return Of(!a.v)
}
