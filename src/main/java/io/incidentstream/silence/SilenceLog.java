package io.incidentstream.silence;

/**
 * Where silences are kept: each call returns once the change is in this instance's {@link SilenceView},
 * so a read that follows on this instance sees it.
 */
public interface SilenceLog {
    /** Stores a silence, replacing the one with its id. */
    void put(Silence silence);

    /** Deletes a silence for good (after its retention). */
    void delete(String tenant, String id);

    /** A log that is only the view itself: one instance, nothing kept across restarts (tests, fakes). */
    static SilenceLog inMemory(final SilenceView view) {
        return new SilenceLog() {
            @Override
            public void put(final Silence silence) {
                view.put(silence);
            }

            @Override
            public void delete(final String tenant, final String id) {
                view.remove(tenant, id);
            }
        };
    }
}
