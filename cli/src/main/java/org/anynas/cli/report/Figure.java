package org.anynas.cli.report;

/** A chart written into the report folder: {@code figures/NAME.png} (and {@code .svg}) at the stated size. */
public record Figure(String name, String caption, int width, int height) {

    public String png() {
        return "figures/" + name + ".png";
    }

    public String svg() {
        return "figures/" + name + ".svg";
    }
}
