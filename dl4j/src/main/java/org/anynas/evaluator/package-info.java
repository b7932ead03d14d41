/**
 * AnyNAS's extensions to DL4J's configuration: the custom vertices ({@link org.anynas.evaluator.StandardiseVertex},
 * {@link org.anynas.evaluator.ChannelScaleVertex}), the grouped convolution layer and the cosine schedule, with their
 * implementations. DL4J writes these class names into every saved network (model.zip, training checkpoints), so they
 * keep the package they had before the DL4J backend became a module of its own: models and checkpoints written by
 * earlier versions load, and an export is byte-for-byte what it was. Everything else of the backend is in
 * {@code org.anynas.dl4j}.
 */
package org.anynas.evaluator;
