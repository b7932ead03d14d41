package org.anynas.evaluator.data;

import org.anynas.space.Shape;

/**
 * A dataset as the search sees it: the training part split into train and validation, and the test set,
 * which only explicit final training/evaluation touches.
 */
public record Dataset(String name, ImageSet train, ImageSet validation, ImageSet test) {

    public Shape shape() {
        return train.shape();
    }

    public int classes() {
        return train.classes();
    }
}
