package io.gobstopper.tasks;

import java.util.regex.Pattern;

/**
 * The limits that task names, categories and a request's options keep, and the words that refuse a value past one.
 * The engine, the REST API and the starter's properties all check against these, so a rule and its message are written
 * once.
 */
public final class TaskLimits {

    /** The most retries a task may ask for. */
    public static final int MAX_RETRIES = 100;

    /** The longest unique key. */
    public static final int MAX_UNIQUE_KEY_LENGTH = 200;

    /** The most workers one category may have. */
    public static final int MAX_WORKERS = 256;

    /** What a category name may hold, in words. */
    public static final String CATEGORY_RULE = "1-64 letters, digits, '_', '-' or '.'";

    /** What a task name may hold, in words. */
    public static final String NAME_RULE = "1-100 letters, digits, '_', '-', '.' or ':'";

    private static final Pattern CATEGORY = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,100}");

    private TaskLimits() {}

    /** Whether a category name is valid: {@value #CATEGORY_RULE}. */
    public static boolean isValidCategory(String category) {
        return category != null && CATEGORY.matcher(category).matches();
    }

    /** Why a category name is refused. */
    public static String categoryRefusal(String category) {
        return "category '" + category + "' is invalid; use " + CATEGORY_RULE;
    }

    /** Whether a task name is valid: {@value #NAME_RULE}. */
    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** Why a task name is refused. */
    public static String nameRefusal(String name) {
        return "name '" + name + "' is invalid; use " + NAME_RULE;
    }

    /** Whether a number of retries is allowed: 0 to {@value #MAX_RETRIES}. */
    public static boolean isValidMaxRetries(int maxRetries) {
        return maxRetries >= 0 && maxRetries <= MAX_RETRIES;
    }

    /** Why a number of retries is refused. */
    public static String maxRetriesRefusal(int maxRetries) {
        return "maxRetries must be between 0 and " + MAX_RETRIES + ", got " + maxRetries;
    }

    /** Whether a unique key is allowed: 1 to {@value #MAX_UNIQUE_KEY_LENGTH} characters, not blank. */
    public static boolean isValidUniqueKey(String key) {
        return key != null && !key.isBlank() && key.length() <= MAX_UNIQUE_KEY_LENGTH;
    }

    /** Why a unique key is refused. */
    public static String uniqueKeyRefusal(String key) {
        return "uniqueKey must be 1-" + MAX_UNIQUE_KEY_LENGTH + " characters, got "
                + (key == null || key.isBlank() ? "a blank one" : key.length());
    }

    /** Whether a number of workers is allowed: 0 (the category pauses) to {@value #MAX_WORKERS}. */
    public static boolean isValidWorkers(int workers) {
        return workers >= 0 && workers <= MAX_WORKERS;
    }

    /** Why a number of workers is refused, naming the setting. */
    public static String workersRefusal(String setting, int workers) {
        return setting + " must be between 0 and " + MAX_WORKERS + ", got " + workers;
    }
}
