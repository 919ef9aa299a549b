// Package synth gives benchmarks and load tests large knowledge bases of
// realistic career pages: the shared synthkb.py tool's recombinations of
// real NHS pages, in which pages share words as real ones do.
package synth
