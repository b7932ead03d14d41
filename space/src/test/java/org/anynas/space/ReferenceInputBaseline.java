package org.anynas.space;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * What every built-in space produces at the reference inputs 1×28×28 and 3×32×32: the first 100 sampled candidates
 * (seed 1) with hash, params and MACs and the rejected draws, and the decode of 300 random genotypes (seed 2).
 * The resource input-identity-baseline.txt holds these lines as computed before the space adapted to input sizes.
 * The spaces are chain and multibranch as built in, and anynet as a campaign stored it before the X block joined it
 * (stored-spaces/anynet-before-x.yaml, the snapshot CampaignRunner wrote then): a stored campaign's space still lays
 * out and decodes its genes as it did.
 */
final class ReferenceInputBaseline {
    static final List<Shape> INPUTS = List.of(Shape.of(1, 28, 28), Shape.of(3, 32, 32));

    private ReferenceInputBaseline() {
    }

    /** The anynet space as campaigns started before the X block stored it. */
    static DesignSpace storedAnynet() {
        try (InputStream in = ReferenceInputBaseline.class.getResourceAsStream("/stored-spaces/anynet-before-x.yaml")) {
            return Json.yaml().readValue(in, DesignSpace.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> lines() {
        List<String> out = new ArrayList<>();
        for (DesignSpace space : List.of(DesignSpace.load("chain"), storedAnynet(), DesignSpace.load("multibranch"))) {
            String name = space.name();
            for (Shape input : INPUTS) {
                GenotypeLayout layout = space.layout(input, 10);
                String prefix = name + " " + input + " ";
                Sampler sampler = Sampler.of(layout);
                Random random = new Random(1);
                for (int i = 0; i < 100; i++) {
                    Architecture a = layout.decode(sampler.sample(random, 100_000));
                    out.add(prefix + "sample " + i + " " + ArchitectureJson.hash(a) + " " + a.graph().params() + " " + a.graph().macs());
                }
                out.add(prefix + "rejected " + sampler.rejected());
                Random genes = new Random(2);
                for (int i = 0; i < 300; i++) {
                    Architecture a = layout.decode(sampler.randomGenes(genes));
                    String what;
                    try {
                        OpGraph g = a.graph();
                        what = ArchitectureJson.hash(a) + " " + g.params() + " " + g.macs();
                    } catch (InvalidArchitectureException e) {
                        what = "invalid " + ArchitectureJson.hash(a);
                    }
                    out.add(prefix + "decode " + i + " " + what);
                }
            }
        }
        return out;
    }
}
