package org.anynas.db;

/** A campaign that a live engine (another process) is driving: a second one may not start or resume it. */
public final class CampaignBusyException extends StoreException {
    private CampaignBusyException(String message) {
        super(message);
    }

    public static CampaignBusyException of(String campaign, Engine engine) {
        return new CampaignBusyException("campaign '" + campaign + "' is being run by " + engine.describe(java.time.OffsetDateTime.now())
                + "; wait for it to finish, or stop that process first");
    }
}
