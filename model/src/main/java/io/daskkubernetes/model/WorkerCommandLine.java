package io.daskkubernetes.model;

import io.fabric8.kubernetes.api.model.Container;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The dask-worker invocation inside a container's command and args, as an editable list of options.
 * It finds {@code dask-worker} (or {@code dask worker}) in the command or the args, edits the words
 * after it and writes them back to the same place.
 */
final class WorkerCommandLine {

    /** dask-worker's options that take no value (dask-worker --help, distributed 2022.12). */
    private static final Set<String> SWITCHES =
            Set.of(
                    "--dashboard",
                    "--no-dashboard",
                    "--nanny",
                    "--no-nanny",
                    "--bokeh",
                    "--no-bokeh",
                    "--reconnect",
                    "--no-reconnect",
                    "--lifetime-restart",
                    "--no-lifetime-restart",
                    "--version",
                    "--help");

    /** the words up to and including dask-worker */
    private final List<String> prefix;

    /** 1 for dask-worker, 2 for dask worker */
    private final int tokenLength;

    private final List<String> options;
    private final boolean inCommand;
    private final boolean argsWereEmpty;

    /** "command" or "args", for field paths in messages */
    private final String field;

    private WorkerCommandLine(
            List<String> prefix,
            int tokenLength,
            List<String> options,
            boolean inCommand,
            boolean argsWereEmpty) {
        this.prefix = prefix;
        this.tokenLength = tokenLength;
        this.options = options;
        this.inCommand = inCommand;
        this.argsWereEmpty = argsWereEmpty;
        this.field = inCommand ? "command" : "args";
    }

    /** The dask-worker invocation of this container, if it has one in list form. */
    static Optional<WorkerCommandLine> of(Container container) {
        List<String> command = container.getCommand() == null ? List.of() : container.getCommand();
        List<String> args = container.getArgs() == null ? List.of() : container.getArgs();
        List<String> all = new ArrayList<>(command);
        all.addAll(args);
        for (int i = 0; i < all.size(); i++) {
            int end = workerTokenEnd(all, i);
            if (end > 0) {
                boolean inCommand = i < command.size();
                List<String> prefix =
                        new ArrayList<>(all.subList(inCommand ? 0 : command.size(), end));
                return Optional.of(
                        new WorkerCommandLine(
                                prefix,
                                end - i,
                                new ArrayList<>(all.subList(end, all.size())),
                                inCommand,
                                args.isEmpty()));
            }
        }
        return Optional.empty();
    }

    /** Index after "dask-worker" or "dask worker" starting at i, or -1. */
    private static int workerTokenEnd(List<String> words, int i) {
        String word = words.get(i);
        if (word.equals("dask-worker") || word.endsWith("/dask-worker")) {
            return i + 1;
        }
        if ((word.equals("dask") || word.endsWith("/dask"))
                && i + 1 < words.size()
                && words.get(i + 1).equals("worker")) {
            return i + 2;
        }
        return -1;
    }

    String field() {
        return field;
    }

    boolean has(String option) {
        return indexOf(option) >= 0;
    }

    Optional<String> value(String option) {
        int index = indexOf(option);
        if (index < 0) {
            return Optional.empty();
        }
        String word = options.get(index);
        if (word.startsWith(option + "=")) {
            return Optional.of(word.substring(option.length() + 1));
        }
        return index + 1 < options.size() ? Optional.of(options.get(index + 1)) : Optional.empty();
    }

    /** Sets an option's value, in place when it is there, at the end when it is not. */
    void set(String option, String value) {
        int index = indexOf(option);
        if (index < 0) {
            options.add(option);
            options.add(value);
        } else if (options.get(index).startsWith(option + "=")) {
            options.set(index, option + "=" + value);
        } else if (index + 1 < options.size()) {
            options.set(index + 1, value);
        } else {
            options.add(value);
        }
    }

    void addSwitch(String option) {
        options.add(option);
    }

    /** Removes every occurrence of the option, with its value when it takes one. */
    void remove(String option) {
        int index;
        while ((index = indexOf(option)) >= 0) {
            boolean inline = options.get(index).contains("=");
            options.remove(index);
            if (!inline && !SWITCHES.contains(option) && index < options.size()) {
                options.remove(index);
            }
        }
    }

    /** Renames an option, keeping its value. */
    void rename(String option, String newName) {
        int index = indexOf(option);
        if (index >= 0) {
            String word = options.get(index);
            options.set(
                    index,
                    word.startsWith(option + "=")
                            ? newName + word.substring(option.length())
                            : newName);
        }
    }

    /**
     * Words that are not options nor their values: dask-worker reads the first as the scheduler
     * address.
     */
    List<Integer> positionalIndexes() {
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < options.size(); i++) {
            String word = options.get(i);
            if (word.startsWith("-")) {
                if (!word.contains("=") && !SWITCHES.contains(word)) {
                    i++;
                }
            } else {
                positions.add(i);
            }
        }
        return positions;
    }

    String word(int index) {
        return options.get(index);
    }

    void replaceWord(int index, String word) {
        options.set(index, word);
    }

    List<String> options() {
        return List.copyOf(options);
    }

    void writeTo(Container container) {
        List<String> words = new ArrayList<>(prefix);
        if (!inCommand) {
            words.addAll(options);
            container.setArgs(words);
        } else if (argsWereEmpty) {
            words.addAll(options);
            container.setCommand(words);
        } else {
            container.setCommand(words);
            container.setArgs(new ArrayList<>(options));
        }
    }

    /**
     * Runs {@code schedulerWords} (such as dask-scheduler and its options) in place of the whole
     * dask-worker invocation, keeping any launcher words before it.
     */
    void writeReplacementTo(Container container, List<String> schedulerWords) {
        List<String> launcher = new ArrayList<>(prefix.subList(0, prefix.size() - tokenLength));
        if (inCommand) {
            container.setCommand(launcher.isEmpty() ? null : launcher);
            container.setArgs(new ArrayList<>(schedulerWords));
        } else {
            launcher.addAll(schedulerWords);
            container.setArgs(launcher);
        }
    }

    private int indexOf(String option) {
        for (int i = 0; i < options.size(); i++) {
            String word = options.get(i);
            if (word.equals(option) || word.startsWith(option + "=")) {
                return i;
            }
            // skip the value of an option so that a value is never taken for an option
            if (word.startsWith("--") && !word.contains("=") && !SWITCHES.contains(word)) {
                i++;
            }
        }
        return -1;
    }
}
