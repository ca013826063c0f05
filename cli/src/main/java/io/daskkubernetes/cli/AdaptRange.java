package io.daskkubernetes.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --adapt MIN:MAX}. */
record AdaptRange(int minimum, int maximum) {

    static final class Converter implements ITypeConverter<AdaptRange> {
        @Override
        public AdaptRange convert(String value) {
            String[] parts = value.split(":", -1);
            if (parts.length != 2) {
                throw new TypeConversionException(
                        "'" + value + "' is not MIN:MAX; use for example --adapt 1:10");
            }
            try {
                int minimum = Integer.parseInt(parts[0].strip());
                int maximum = Integer.parseInt(parts[1].strip());
                if (minimum < 0 || maximum < minimum) {
                    throw new TypeConversionException(
                            "'" + value + "' needs 0 <= MIN <= MAX; use for example --adapt 1:10");
                }
                return new AdaptRange(minimum, maximum);
            } catch (NumberFormatException e) {
                throw new TypeConversionException(
                        "'"
                                + value
                                + "' is not MIN:MAX with whole numbers; use for example --adapt 1:10");
            }
        }
    }
}
