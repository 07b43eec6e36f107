package io.incidentstream.testkit;

import java.util.EnumSet;
import java.util.List;
import java.util.random.RandomGenerator;

/** Random enum constants for seeded test data. */
public final class RandomEnums {
    private RandomEnums() {}

    /**
     * One of the constants of {@code type}, drawn with {@code random.nextInt(n)} over its {@code n}
     * constants in declaration order: a seeded random picks the same ones on every run.
     */
    public static <E extends Enum<E>> E pick(final RandomGenerator random, final Class<E> type) {
        final List<E> constants = List.copyOf(EnumSet.allOf(type));
        return constants.get(random.nextInt(constants.size()));
    }
}
