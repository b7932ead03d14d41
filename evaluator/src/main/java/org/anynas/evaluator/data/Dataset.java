package org.anynas.evaluator.data;

import org.anynas.space.Fidelity;
import org.anynas.space.Shape;
import org.anynas.space.UserInputException;

import java.util.List;

/**
 * A dataset as the search sees it: the training part split into train and validation, and the test set (null
 * when there is none), which only explicit final training/evaluation touches; the class names (a folder's
 * class folders) and the rule that turns any image into the input the networks take.
 */
public record Dataset(String name, ImageSet train, ImageSet validation, ImageSet test, List<String> classNames,
                      InputRule input) {

    public Dataset {
        classNames = List.copyOf(classNames);
        if (classNames.size() != train.classes()) {
            throw new IllegalArgumentException(name + ": " + classNames.size() + " class names for " + train.classes() + " classes");
        }
    }

    public Shape shape() {
        return train.shape();
    }

    public int classes() {
        return train.classes();
    }

    /** Whether the dataset has a test split (a folder may have none; only {@code ./nas train} uses it). */
    public boolean hasTest() {
        return test != null && test.size() > 0;
    }

    /** The images an export's cross-runtime check runs on: the test set, else the validation set. */
    public ImageSet checkImages() {
        return hasTest() ? test : validation;
    }

    /** Checks that the split can serve a fidelity; call before a campaign starts. */
    public void check(Fidelity f) {
        if (f.trainSize() > train.size()) {
            throw new UserInputException("fidelity.train_size " + f.trainSize() + " exceeds the "
                    + train.size() + " training images of " + name);
        }
        if (f.valSize() > validation.size()) {
            throw new UserInputException("fidelity.val_size " + f.valSize() + " exceeds the "
                    + validation.size() + " validation images of " + name);
        }
    }
}
