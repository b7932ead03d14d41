package org.anynas.space;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.OptBoolean;

/**
 * The AnyNetX design constraints, each a switch; decode repairs genotypes to satisfy them. Shared bottleneck and
 * shared group width read stage 1's gene for every stage; non-decreasing widths and depths raise a stage to its
 * predecessor's. AnyNetX-A has none, B shares the bottleneck, C also the group width, D adds non-decreasing widths,
 * E non-decreasing depths ({@link DesignSpace#ANYNETX}).
 *
 * @param sharedGroupWidth optional in YAML (absent: false), so spaces written before it read as they did
 */
public record Constraints(boolean sharedBottleneck, boolean nonDecreasingWidths, boolean nonDecreasingDepths,
                          @JacksonInject(value = Json.ABSENT + "shared_group_width", useInput = OptBoolean.TRUE) boolean sharedGroupWidth) {
    public static Constraints none() {
        return new Constraints(false, false, false, false);
    }
}
