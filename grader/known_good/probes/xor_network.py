# Other weights for XOR_WEIGHTS, put in place of a student's own by a hidden test: xor must be
# the forward pass through XOR_WEIGHTS, whatever they hold, so through these it computes what
# they compute (XNOR: the output neuron fires unless both hidden ones, OR and NAND, do), not XOR
# worked out some other way.

XOR_WEIGHTS = ([[1, 1], [-1, -1]], [-0.5, 1.5], [-1, -1], 1.5)
