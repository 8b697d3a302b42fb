package io.phonon.testsupport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Test hosts on a private network: each host a network namespace ({@code ip netns}) with
 * one veth link to a bridge in the test's own namespace, which has the address
 * {@code 10.<n>.0.1} on it. {@link #cut} takes a host's link down (both ends lose
 * carrier: nothing passes either way, and open TCP connections hang as in a real
 * partition); {@link #heal} brings it back. The file system is shared, so a host that is
 * cut off still reaches files. Where the kernel or the user may not make namespaces, the
 * test is aborted with the reason printed, never passed silently.
 */
public final class TestNetwork implements AutoCloseable {

	private final String prefix;

	private final int subnet;

	private final String bridge;

	private final List<TestHost> hosts = new ArrayList<>();

	private TestNetwork(String prefix, int subnet) {
		this.prefix = prefix;
		this.subnet = subnet;
		this.bridge = prefix + "br";
	}

	/**
	 * Builds the bridge, or aborts the calling test (printing why) where namespaces
	 * cannot be made here.
	 */
	public static TestNetwork create() throws IOException, InterruptedException {
		int subnet = ThreadLocalRandom.current().nextInt(100, 250);
		TestNetwork network = new TestNetwork("ph" + subnet + Long.toString(ProcessHandle.current().pid() % 1000, 36),
				subnet);
		String refusal = network.tryRun("ip", "link", "add", network.bridge, "type", "bridge");
		if (refusal == null) {
			refusal = network.tryRun("ip", "netns", "add", network.prefix + "probe");
			network.tryRun("ip", "netns", "delete", network.prefix + "probe");
		}
		if (refusal != null) {
			String reason = "Network partition tests need network namespaces (ip netns, veth, bridge; root or"
					+ " CAP_NET_ADMIN), and this machine refused: " + refusal;
			System.out.println("NOT RUN: " + reason);
			network.close();
			Assumptions.abort(reason);
		}
		network.run("ip", "addr", "add", network.gateway() + "/24", "dev", network.bridge);
		network.run("ip", "link", "set", network.bridge, "up");
		return network;
	}

	/** The address of the test's own namespace on the network. */
	public String gateway() {
		return "10." + this.subnet + ".0.1";
	}

	/**
	 * Adds a host: a namespace with loopback up and one link to the bridge.
	 * @param name a short name, such as {@code engine}
	 * @return the host
	 */
	public TestHost host(String name) throws IOException, InterruptedException {
		int number = this.hosts.size() + 2;
		String namespace = this.prefix + name;
		String link = this.prefix + "v" + number;
		TestHost host = new TestHost(namespace, "10." + this.subnet + ".0." + number, link);
		this.hosts.add(host);
		run("ip", "netns", "add", namespace);
		run("ip", "link", "add", link, "type", "veth", "peer", "name", link + "p");
		run("ip", "link", "set", link + "p", "netns", namespace);
		run("ip", "link", "set", link, "master", this.bridge);
		run("ip", "link", "set", link, "up");
		run("ip", "netns", "exec", namespace, "ip", "link", "set", "lo", "up");
		run("ip", "netns", "exec", namespace, "ip", "addr", "add", host.address() + "/24", "dev", link + "p");
		run("ip", "netns", "exec", namespace, "ip", "link", "set", link + "p", "up");
		return host;
	}

	/** Cuts {@code host} off the network. */
	public void cut(TestHost host) throws IOException, InterruptedException {
		run("ip", "link", "set", host.link(), "down");
	}

	/** Connects {@code host} again. */
	public void heal(TestHost host) throws IOException, InterruptedException {
		run("ip", "link", "set", host.link(), "up");
	}

	@Override
	public void close() throws IOException, InterruptedException {
		for (TestHost host : this.hosts) {
			tryRun("ip", "netns", "delete", host.namespace());
			tryRun("ip", "link", "delete", host.link());
		}
		tryRun("ip", "link", "delete", this.bridge);
	}

	private void run(String... command) throws IOException, InterruptedException {
		String failure = tryRun(command);
		if (failure != null) {
			throw new IOException(failure);
		}
	}

	/** Runs a command; returns null if it succeeded, else what it said. */
	private String tryRun(String... command) throws IOException, InterruptedException {
		Process process;
		try {
			process = new ProcessBuilder(command).redirectErrorStream(true).start();
		}
		catch (IOException ex) {
			return String.join(" ", command) + ": " + ex.getMessage();
		}
		String output = new String(process.getInputStream().readAllBytes()).trim();
		if (!process.waitFor(1, TimeUnit.MINUTES) || process.exitValue() != 0) {
			return String.join(" ", command) + ": " + output;
		}
		return null;
	}

	/**
	 * A host of the network.
	 *
	 * @param namespace its network namespace
	 * @param address its address
	 * @param link the test namespace's end of its link
	 */
	public record TestHost(String namespace, String address, String link) {
	}

}
