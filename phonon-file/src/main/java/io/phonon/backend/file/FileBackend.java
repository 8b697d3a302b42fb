package io.phonon.backend.file;

import java.nio.file.Path;

import io.phonon.atom.AtomBackend;
import io.phonon.lock.LockBackend;
import io.phonon.reference.ReferenceBackend;

/**
 * Creates the {@code file} backend's engines.
 */
public final class FileBackend {

	/**
	 * The backend's name, as in {@code phonon.backend} and the meters' {@code backend}
	 * tag.
	 */
	public static final String NAME = "file";

	private FileBackend() {
	}

	/**
	 * Creates a lock engine in {@code directory}, in a sub-directory per namespace.
	 * Missing directories are created readable and writable by their owner only.
	 * @param directory the base directory, on a local file system
	 * @param namespace the application's namespace: processes share locks only within one
	 * @return a new lock backend; close it to stop its watch thread
	 * @throws io.phonon.PhononBackendException if the directory cannot be created or
	 * written
	 */
	public static LockBackend locks(Path directory, String namespace) {
		return new FileLockBackend(directory.resolve(FileNames.namespace(namespace)));
	}

	/**
	 * Creates a shared-atom engine in {@code directory}, in the same sub-directory per
	 * namespace as {@link #locks}: its atoms are shared by the applications on this host
	 * that use that directory; their watchers poll.
	 * @param directory the base directory, on a local file system
	 * @param namespace the application's namespace
	 * @return a new atom backend
	 * @throws io.phonon.PhononBackendException if the directory cannot be created or
	 * written
	 */
	public static AtomBackend atoms(Path directory, String namespace) {
		return new FileAtomBackend(directory.resolve(FileNames.namespace(namespace)));
	}

	/**
	 * Creates a reference engine in {@code directory}, in the same sub-directory per
	 * namespace as {@link #locks}: its processes are the applications on this host that
	 * use that directory.
	 * @param directory the base directory, on a local file system
	 * @param namespace the application's namespace: processes share references only
	 * within one
	 * @return a new reference backend
	 * @throws io.phonon.PhononBackendException if the directory cannot be created or
	 * written
	 */
	public static ReferenceBackend references(Path directory, String namespace) {
		return new FileReferenceBackend(directory.resolve(FileNames.namespace(namespace)));
	}

}
