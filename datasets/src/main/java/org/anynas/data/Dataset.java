package org.anynas.data;

import org.anynas.space.Fidelity;
import org.anynas.space.Shape;
import org.anynas.space.UserInputException;

import java.util.List;

/**
 * A dataset as the search sees it: the training part split into train and validation, and the test set (null
 * when there is none), which only explicit final training/evaluation touches; the class names (a folder's
 * class folders), the rule that turns any image into the input the networks take, and notes on how the data
 * was read (a folder's layout, skipped files, the size chosen).
 */
public record Dataset(String name, ImageSet train, ImageSet validation, ImageSet test, List<String> classNames,
                      InputRule input, List<String> notes) {

    public Dataset {
        classNames = List.copyOf(classNames);
        notes = List.copyOf(notes);
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

    /**
     * "fashion-mnist: 10 classes, 1×28×28; train 50,000 / validation 10,000 / test 10,000 images" and the images
     * per class, for a campaign's header and the report: class balance is the first thing to know of one's data.
     */
    public String describe() {
        Shape s = shape();
        StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT,
                "%s: %d classes, %d×%d×%d (C×H×W); train %,d / validation %,d / test %s images", name, classes(),
                s.channels(), s.height(), s.width(), train.size(), validation.size(),
                hasTest() ? String.format(java.util.Locale.ROOT, "%,d", test.size()) : "no"));
        int[] tr = train.classCounts();
        int[] va = validation.classCounts();
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int c = 0; c < tr.length; c++) {
            min = Math.min(min, tr[c] + va[c]);
            max = Math.max(max, tr[c] + va[c]);
        }
        sb.append(String.format(java.util.Locale.ROOT, "%nimages per class (train + validation)%s: ",
                min * 2 < max ? String.format(java.util.Locale.ROOT, ", imbalanced %.1f : 1", (double) max / Math.max(1, min)) : ""));
        for (int c = 0; c < tr.length; c++) {
            sb.append(c == 0 ? "" : ", ").append(classNames.get(c)).append(' ').append(tr[c] + va[c]);
        }
        for (String note : notes) sb.append(System.lineSeparator()).append(note);
        return sb.toString();
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
