package io.gobstopper.tasks;

/**
 * One request of a batch was refused, so nothing of the batch was stored. The cause is what was wrong with that
 * request ({@link UnknownTaskException}, {@link InvalidTaskArgumentsException}, ...).
 */
public class BatchItemException extends TaskException {

    private static final long serialVersionUID = 1L;

    private final int index;

    public BatchItemException(int index, String name, TaskException cause) {
        super(
                "Batch item " + index + " (task '" + name + "'): " + cause.getMessage()
                        + ". Nothing of the batch was stored.",
                cause);
        this.index = index;
    }

    /** The position of the refused request in the batch, from 0. */
    public int index() {
        return index;
    }

    /** What was wrong with the request. */
    public TaskException reason() {
        return (TaskException) getCause();
    }
}
