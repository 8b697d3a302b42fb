package io.phonon.testsupport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The history of fenced critical sections that multi-process lock tests keep and judge:
 * each worker appends one line per section, and the checker finds sections that held a
 * valid lease at once, or whose tokens did not increase in the order they ran. The fenced
 * store is a file that takes a write only with a token at least as new as every one it
 * took.
 */
public final class FencedHistory {

	private FencedHistory() {
	}

	/**
	 * One critical section.
	 *
	 * @param token its fencing token
	 * @param pid the worker's process
	 * @param start when it started, epoch microseconds
	 * @param end when it ended
	 * @param valid whether its lease was valid at its fenced write
	 * @param accepted whether the fenced store took the write
	 * @param marked whether the test singled it out (stopped, partitioned)
	 */
	public record Section(long token, long pid, long start, long end, boolean valid, boolean accepted, boolean marked) {

		static Section parse(String line) {
			String[] fields = line.split(" ");
			return new Section(Long.parseLong(fields[0]), Long.parseLong(fields[1]), Long.parseLong(fields[2]),
					Long.parseLong(fields[3]), Boolean.parseBoolean(fields[4]), Boolean.parseBoolean(fields[5]),
					Boolean.parseBoolean(fields[6]));
		}

		String line() {
			return this.token + " " + this.pid + " " + this.start + " " + this.end + " " + this.valid + " "
					+ this.accepted + " " + this.marked + "\n";
		}

	}

	/** Appends a section to the history file, in one write. */
	public static void append(Path history, Section section) {
		WorkerJvm.write(history, section.line(), true);
	}

	/** Reads a history file, empty if there is none yet. */
	public static List<Section> read(Path history) throws IOException {
		if (!Files.exists(history)) {
			return List.of();
		}
		return Files.readAllLines(history).stream().map(Section::parse).toList();
	}

	/**
	 * Returns the pairs of sections that both held a valid lease and overlapped in time.
	 */
	public static List<String> overlaps(List<Section> sections) {
		List<String> overlaps = new ArrayList<>();
		Section latest = null;
		for (Section next : valid(sections)) {
			if (latest != null && next.start() < latest.end()) {
				overlaps.add(next + " started before " + latest + " ended");
			}
			if (latest == null || next.end() > latest.end()) {
				latest = next;
			}
		}
		return overlaps;
	}

	/**
	 * Returns the valid sections whose token is not above the one of the valid section
	 * that ran before.
	 */
	public static List<String> regressions(List<Section> sections) {
		List<String> regressions = new ArrayList<>();
		List<Section> valid = valid(sections);
		for (int i = 1; i < valid.size(); i++) {
			if (valid.get(i).token() <= valid.get(i - 1).token()) {
				regressions.add(valid.get(i) + " has a token not above " + valid.get(i - 1));
			}
		}
		return regressions;
	}

	private static List<Section> valid(List<Section> sections) {
		return sections.stream().filter(Section::valid).sorted(Comparator.comparingLong(Section::start)).toList();
	}

	/**
	 * The fenced store: takes a write with {@code token} only if no newer token wrote
	 * before.
	 * @return whether it took the write
	 */
	public static boolean accept(Path fence, long token) {
		try (FileChannel channel = FileChannel.open(fence, StandardOpenOption.CREATE, StandardOpenOption.READ,
				StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
			ByteBuffer buffer = ByteBuffer.allocate(Long.BYTES);
			long newest = (channel.read(buffer, 0) == Long.BYTES) ? buffer.flip().getLong() : 0;
			if (token < newest) {
				return false;
			}
			channel.write(buffer.clear().putLong(token).flip(), 0);
			return true;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
