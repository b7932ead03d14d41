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

    /** Checks that the split can serve a fidelity; call before a campaign starts. */
    public void check(org.anynas.space.Fidelity f) {
        if (f.trainSize() > train.size()) {
            throw new org.anynas.space.UserInputException("fidelity.train_size " + f.trainSize() + " exceeds the "
                    + train.size() + " training images of " + name);
        }
        if (f.valSize() > validation.size()) {
            throw new org.anynas.space.UserInputException("fidelity.val_size " + f.valSize() + " exceeds the "
                    + validation.size() + " validation images of " + name);
        }
    }
}
