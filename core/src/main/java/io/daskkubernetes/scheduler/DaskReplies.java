package io.daskkubernetes.scheduler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Checks a scheduler's reply and turns it into the Java type the caller expected, or says clearly
 * why not. Shared by both transports, since the HTTP API answers with the same structures as the
 * TCP ops.
 */
final class DaskReplies {

    private DaskReplies() {}

    /**
     * Fails if the reply is Dask's error message ({@code {"status": "uncaught-error",
     * "exception_text": ...}}), which a handler sends instead of its result when it raised.
     */
    static Object requireNoError(String op, Object reply) {
        if (reply instanceof Map<?, ?> map
                && map.get("status") instanceof String status
                && (status.equals("uncaught-error") || status.equals("error"))) {
            Object text =
                    map.containsKey("exception_text")
                            ? map.get("exception_text")
                            : map.get("message");
            throw new SchedulerException(
                    "the scheduler failed '" + op + "': " + status + ": " + text);
        }
        return reply;
    }

    static int asInt(String op, Object reply) {
        if (reply instanceof Number number
                && number.doubleValue() == Math.rint(number.doubleValue())
                && number.longValue() >= Integer.MIN_VALUE
                && number.longValue() <= Integer.MAX_VALUE) {
            return number.intValue();
        }
        throw unexpected(op, "a whole number", reply);
    }

    static List<String> asStringList(String op, Object reply) {
        if (!(reply instanceof List<?> list)) {
            throw unexpected(op, "a list of worker addresses", reply);
        }
        List<String> strings = new ArrayList<>(list.size());
        for (Object item : list) {
            if (!(item instanceof String text)) {
                throw unexpected(op, "a list of worker addresses", reply);
            }
            strings.add(text);
        }
        return Collections.unmodifiableList(strings);
    }

    static Map<?, ?> asMap(String op, Object reply, String expected) {
        if (reply instanceof Map<?, ?> map) {
            return map;
        }
        throw unexpected(op, expected, reply);
    }

    static SchedulerException unexpected(String op, String expected, Object reply) {
        return new SchedulerException(
                "unexpected reply to '"
                        + op
                        + "': expected "
                        + expected
                        + ", got "
                        + MsgpackValues.describe(reply));
    }
}
