// Package stress holds the heavy, race-detector stress suites of Dext for Go.
// Each module has a sub-package (stress/atomicx, stress/netcore, …); they are
// light by default and grow with STRESS=1 (see package load).
package stress
