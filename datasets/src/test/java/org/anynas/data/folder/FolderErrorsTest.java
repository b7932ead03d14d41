package org.anynas.data.folder;

import org.anynas.data.DatasetException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.anynas.data.folder.TestImages.grey;
import static org.anynas.data.folder.TestImages.png;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FolderErrorsTest {

    private static DatasetException failure(FolderSpec spec, Path cache) {
        try {
            FolderData.open(spec, cache, Progress.NONE);
        } catch (DatasetException e) {
            assertThat(e.getMessage()).doesNotContain("\n");
            return e;
        }
        throw new AssertionError("no DatasetException for " + spec);
    }

    @Test
    void missingSourceNoImagesOneClassAndAnEmptyClass(@TempDir Path tmp) throws IOException {
        Path cache = tmp.resolve("cache");
        assertThat(failure(FolderSpec.of(tmp.resolve("nope")), cache))
                .hasMessage("image folder " + tmp.resolve("nope") + " does not exist: check the path");

        Path empty = Files.createDirectories(tmp.resolve("empty/a"));
        TestImages.text(empty.resolve("readme.txt"), "hi");
        assertThat(failure(FolderSpec.of(tmp.resolve("empty")), cache).getMessage())
                .startsWith("class folder a/ in ").endsWith(" has no images: add images to it or remove it");

        Path none = Files.createDirectories(tmp.resolve("none"));
        TestImages.text(none.resolve("x.txt"), "hi");
        assertThat(failure(FolderSpec.of(none), cache).getMessage()).startsWith("no images in " + none)
                .contains(".png").endsWith("put each class's images in a subfolder named after the class");

        png(tmp.resolve("one/cat/0.png"), grey(4, 4, 1));
        assertThat(failure(FolderSpec.of(tmp.resolve("one")), cache))
                .hasMessage("only one class (cat) in " + tmp.resolve("one") + ": a classifier needs two: add a second class folder");

        assertThat(failure(FolderSpec.of(tmp.resolve("one/cat/0.png")), cache).getMessage()).endsWith("is a file: give a folder"
                + " of class subfolders or a .csv file");
    }

    @Test
    void badFilesAreSkippedAndReportedOrFatalWithFail(@TempDir Path tmp) throws IOException {
        Path src = tmp.resolve("bad");
        png(src.resolve("a/0.png"), grey(6, 6, 1));
        TestImages.truncatedPng(src.resolve("a/1-truncated.png"), TestImages.halves(64, 64));
        TestImages.text(src.resolve("a/2-text.jpg"), "this is not a JPEG");
        png(src.resolve("b/0.png"), grey(6, 6, 2));
        Files.write(src.resolve("b/1-empty.png"), new byte[0]);

        FolderDataset d = FolderData.open(FolderSpec.of(src), tmp.resolve("cache"), Progress.NONE);

        assertThat(d.train().size()).isEqualTo(2);
        assertThat(d.report().badFiles()).extracting(BadFile::path).containsExactly("a/1-truncated.png", "a/2-text.jpg",
                "b/1-empty.png");
        assertThat(d.report().badFiles()).allSatisfy(b -> assertThat(b.reason()).isNotBlank().doesNotContain("\n"));
        assertThat(d.report().badFiles().get(1).reason()).isEqualTo("not an image any installed decoder recognises");
        assertThat(d.report().sizeNote()).isEqualTo("all 2 images are 6×6"); // bad files do not count

        // with the size set there is no header pass: the truncated file is found bad while decoding
        FolderDataset sized = FolderData.open(FolderSpec.of(src).withImageSize(6, 6).withChannels(FolderSpec.Channels.ONE),
                tmp.resolve("cache"), Progress.NONE);
        assertThat(sized.report().badFiles()).extracting(BadFile::path).containsExactly("a/1-truncated.png", "a/2-text.jpg",
                "b/1-empty.png");
        assertThat(sized.train().size()).isEqualTo(2);

        // the header pass meets the text file first; without it the decode pass meets the truncated PNG first
        assertThat(failure(FolderSpec.of(src).withOnBadImage(FolderSpec.OnBadImage.FAIL), tmp.resolve("cache")))
                .hasMessage("cannot read image a/2-text.jpg: not an image any installed decoder recognises: fix or remove"
                        + " the file, or let bad images be skipped");
        assertThat(failure(FolderSpec.of(src).withImageSize(6, 6).withChannels(FolderSpec.Channels.ONE)
                .withOnBadImage(FolderSpec.OnBadImage.FAIL), tmp.resolve("cache")).getMessage())
                .startsWith("cannot read image a/1-truncated.png: cannot decode: ");
    }

    @Test
    void aClassWhoseImagesAreAllBadIsAnEmptyClass(@TempDir Path tmp) throws IOException {
        Path src = tmp.resolve("allbad");
        png(src.resolve("a/0.png"), grey(6, 6, 1));
        TestImages.text(src.resolve("b/0.png"), "text");
        assertThat(failure(FolderSpec.of(src), tmp.resolve("cache")))
                .hasMessage("class b has no readable training images: all of its files are bad (first bad file: b/0.png: "
                        + "not an image any installed decoder recognises): fix them or add readable images");
        assertThat(tmp.resolve("cache")).isDirectoryNotContaining(p -> p.getFileName().toString().contains(".tmp-")
                || p.getFileName().toString().startsWith("allbad-") && !p.toString().endsWith(".lock"));
    }

    @Test
    void csvErrorsNameTheLine(@TempDir Path tmp) throws IOException {
        Path cache = tmp.resolve("cache");
        png(tmp.resolve("a.png"), grey(4, 4, 1));
        png(tmp.resolve("b.png"), grey(4, 4, 2));

        Path missing = Files.writeString(tmp.resolve("missing.csv"), "path,label\na.png,x\nnope/c.png,y\n");
        assertThat(failure(FolderSpec.of(missing), cache)).hasMessage("missing.csv line 3: nope/c.png does not exist: "
                + "fix the path (relative to " + tmp.toAbsolutePath() + ") or remove the row");

        Path malformed = Files.writeString(tmp.resolve("malformed.csv"), "a.png,x\nb.png\n");
        assertThat(failure(FolderSpec.of(malformed), cache))
                .hasMessage("malformed.csv line 2: expected path,label[,split], got 'b.png': fix the row");

        Path split = Files.writeString(tmp.resolve("split.csv"), "a.png,x\nb.png,y,holdout\n");
        assertThat(failure(FolderSpec.of(split), cache))
                .hasMessage("split.csv line 2: split 'holdout' is not train, val, validation or test: fix the third column");

        Path oneLabel = Files.writeString(tmp.resolve("one.csv"), "a.png,x\nb.png,x\n");
        assertThat(failure(FolderSpec.of(oneLabel), cache).getMessage())
                .endsWith(": a classifier needs two: add rows with a second label");

        Path testOnly = Files.writeString(tmp.resolve("testonly.csv"), "a.png,x\nb.png,y\na.png,z,test\n");
        assertThat(failure(FolderSpec.of(testOnly), cache)).hasMessage("testonly.csv line 3: label 'z' of a test row has no "
                + "train rows: add train images of it or remove the row");
    }

    @Test
    void imageSizeMustBePositive(@TempDir Path tmp) {
        assertThatThrownBy(() -> FolderSpec.of(tmp).withImageSize(0, 32)).isInstanceOf(DatasetException.class)
                .hasMessage("image_size must be two positive numbers [height, width], got [0, 32]");
        assertThatThrownBy(() -> new FolderSpec(tmp, new int[]{32}, null, null, 0, null))
                .isInstanceOf(DatasetException.class);
    }

    @Test
    void optionParsersNameTheKeyAndTheAllowedValues() {
        assertThat(FolderSpec.parseResize("resize", " Crop ")).isEqualTo(FolderSpec.Resize.CROP);
        assertThat(FolderSpec.parseChannels("channels", "3")).isEqualTo(FolderSpec.Channels.THREE);
        assertThat(FolderSpec.parseChannels("channels", "auto")).isEqualTo(FolderSpec.Channels.AUTO);
        assertThat(FolderSpec.parseOnBadImage("on_bad_image", "FAIL")).isEqualTo(FolderSpec.OnBadImage.FAIL);
        assertThat(FolderSpec.parseBackground("background", "white")).isEqualTo(0xffffff);
        assertThat(FolderSpec.parseBackground("background", "black")).isZero();
        assertThat(FolderSpec.parseBackground("background", "#1A2b3c")).isEqualTo(0x1a2b3c);
        assertThatThrownBy(() -> FolderSpec.parseResize("resize", "fit"))
                .hasMessage("resize: 'fit' is not allowed: use one of stretch, crop, pad");
        assertThatThrownBy(() -> FolderSpec.parseChannels("channels", "2"))
                .hasMessage("channels: '2' is not allowed: use one of auto, 1, 3");
        assertThatThrownBy(() -> FolderSpec.parseOnBadImage("on_bad_image", "ignore"))
                .hasMessage("on_bad_image: 'ignore' is not allowed: use one of skip, fail");
        assertThatThrownBy(() -> FolderSpec.parseBackground("background", "#fff"))
                .hasMessage("background: '#fff' is not a colour: use white, black or #rrggbb");
    }
}
