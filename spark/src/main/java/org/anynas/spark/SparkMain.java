package org.anynas.spark;

/**
 * The driver's entry point for spark-submit: {@code spark-submit --class org.anynas.spark.SparkMain anynas-spark.jar
 * search campaign.yaml}. It is the ordinary command line; campaigns with {@code executor: spark} find their
 * pool ({@link SparkPoolProvider}) because this jar is on the classpath.
 */
public final class SparkMain {
    private SparkMain() {
    }

    public static void main(String[] args) {
        org.anynas.cli.Main.main(args);
    }
}
