package io.incidentstream.notify;

/** Where a delivery waits for its next attempt: durably (the retry topic), so a crash loses none. */
public interface RetryQueue {
    /** Stores it for its {@code dueAt}; calls {@code stored} once it is durably stored (never if it could not be). */
    void schedule(Delivery delivery, Runnable stored);
}
