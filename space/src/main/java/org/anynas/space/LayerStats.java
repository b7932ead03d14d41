package org.anynas.space;

/**
 * Exact accounting of one node: its output shape, trainable parameters, batch-norm running statistics
 * (stored but not trained), multiply-accumulates per example, and output activations per example.
 */
public record LayerStats(Node node, Shape output, long params, long bnStatistics, long macs, long activations) {
}
