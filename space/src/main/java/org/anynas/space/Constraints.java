package org.anynas.space;

/** The AnyNetX design constraints, each a switch; decode repairs genotypes to satisfy them. */
public record Constraints(boolean sharedBottleneck, boolean nonDecreasingWidths, boolean nonDecreasingDepths) {
    public static Constraints none() {
        return new Constraints(false, false, false);
    }
}
