package io.gobstopper.tasks.engine;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Size limits of what a task stores: its arguments (refused when too large), its result and its error (cut, and
 * marked as cut, when too large), so that one task cannot bloat the store or every listing and event that shows it.
 */
final class StoredText {

    /** The most characters of JSON a task's {@code args} and {@code kwargs} may take together. */
    static final int MAX_ARGUMENTS = 1 << 20;

    /** The most characters of a stored result; a larger one is replaced by a marked preview. */
    static final int MAX_RESULT = 1 << 16;

    /** The most characters of a stored error; a longer one is cut and marked. */
    static final int MAX_ERROR = 1 << 13;

    private static final int PREVIEW = 1000;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private StoredText() {}

    /** A result's JSON as stored: itself, or {@code {"truncated": true, "length": n, "preview": "..."}}. */
    static String result(String json) {
        if (json == null || json.length() <= MAX_RESULT) {
            return json;
        }
        ObjectNode marked = JSON.createObjectNode();
        marked.put("truncated", true);
        marked.put("length", json.length());
        marked.put("limit", MAX_RESULT);
        marked.put("preview", json.substring(0, PREVIEW));
        return JSON.writeValueAsString(marked);
    }

    /** An error as stored: itself, or its start followed by a note of how long it was. */
    static String error(String text) {
        if (text == null || text.length() <= MAX_ERROR) {
            return text;
        }
        return text.substring(0, MAX_ERROR) + "... [truncated: " + text.length() + " characters in all]";
    }
}
