package org.anynas.space;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the survey table ({@code mvn -o -pl space test -Dtest=InputSizeSurveyReport -Dsurvey.out=FILE}) or the
 * reference-input baseline ({@code -Dbaseline.out=FILE}); skipped in an ordinary test run.
 */
class InputSizeSurveyReport {

    @Test
    @EnabledIfSystemProperty(named = "survey.out", matches = ".+")
    void writeTable() throws IOException {
        StringBuilder sb = new StringBuilder(InputSizeSurvey.header());
        for (String name : DesignSpace.BUILT_IN) {
            for (Shape s : InputSizeSurvey.SHAPES) {
                Genome layout = DesignSpace.load(name).genome(s, 10);
                sb.append(InputSizeSurvey.of(name, s, 500, 1, Sampler.of(layout).budget()).row());
            }
        }
        Files.writeString(Path.of(System.getProperty("survey.out")), sb.toString());
    }

    @Test
    @EnabledIfSystemProperty(named = "baseline.out", matches = ".+")
    void writeReferenceBaseline() throws IOException {
        Files.write(Path.of(System.getProperty("baseline.out")), ReferenceInputBaseline.lines());
    }
}
