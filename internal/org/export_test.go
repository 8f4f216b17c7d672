package org

// SetSearchThresholds lets tests reach every search plan on a small organization; it returns a
// function that restores the thresholds.
func SetSearchThresholds(tree, dense int) (restore func()) {
	oldTree, oldDense := smallTree, denseMatch
	smallTree, denseMatch = tree, dense
	return func() { smallTree, denseMatch = oldTree, oldDense }
}
