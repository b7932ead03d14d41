package org.anynas.campaign;

import org.anynas.trainer.Confusion;
import org.anynas.dl4j.ExportFolder;
import org.anynas.dl4j.ModelExport;
import org.anynas.data.Dataset;

import java.io.PrintStream;
import java.nio.file.Files;
import java.util.List;

/**
 * The finally trained model on the test set, class by class: measured with the exported network itself (whatever
 * backend trained it), printed after training and written beside the model as {@code confusion.txt}.
 */
final class TestConfusion {
    private final Dataset data;
    private final Confusion confusion; // null: the dataset has no test split

    private TestConfusion(Dataset data, Confusion confusion) {
        this.data = data;
        this.confusion = confusion;
    }

    static TestConfusion of(ModelExport.Deployable model, Dataset data) {
        return new TestConfusion(data, data.hasTest() ? ModelExport.confusion(model, data.test()) : null);
    }

    void print(PrintStream o) {
        if (confusion == null) {
            o.println("No test split in " + data.name() + ": the validation accuracy above is the only score "
                    + "(a folder's test/ part, or rows with split test in a CSV, add one)");
            return;
        }
        o.println("Test set, per class (exported model: " + confusion.oneLine() + "):");
        o.print(confusion.render(data.classNames()));
    }

    /** The per-class line; none without a test split (FinalRun.summaryLines says so on its "test:" line). */
    List<String> summaryLines() {
        return confusion == null ? List.of()
                : List.of("per class:    test " + confusion.oneLine() + "; confusion.txt has the matrix");
    }

    ExportFolder.ModelFiles files(ExportFolder.ModelFiles more) {
        return folder -> {
            if (confusion != null) {
                Files.writeString(folder.resolve("confusion.txt"), "Test set of " + data.name() + ": " + confusion.oneLine()
                        + "\n\n" + confusion.render(data.classNames()));
            }
            more.writeTo(folder);
        };
    }
}
