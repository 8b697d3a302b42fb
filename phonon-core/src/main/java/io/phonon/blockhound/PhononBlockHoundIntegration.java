package io.phonon.blockhound;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Tells BlockHound which of Phonon's waits on a non-blocking thread are not blocking
 * calls: a reactive section's lease registers with the renewer on the thread that
 * delivers the lock, and it takes the renewer's lock, held elsewhere only while the next
 * wake is planned, to move that wake earlier (or, the first time, to start the renewer).
 * BlockHound finds this class by itself (Java's service loader); it is not for
 * applications to call.
 */
public final class PhononBlockHoundIntegration implements BlockHoundIntegration {

	@Override
	public void applyTo(BlockHound.Builder builder) {
		builder.allowBlockingCallsInside("io.phonon.lock.LeaseRenewer", "register");
	}

}
