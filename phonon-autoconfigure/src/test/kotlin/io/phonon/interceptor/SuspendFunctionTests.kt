package io.phonon.interceptor

import io.phonon.annotation.Dogpile
import io.phonon.annotation.Locked
import io.phonon.annotation.OnTimeout
import io.phonon.autoconfigure.PhononAutoConfiguration
import io.phonon.autoconfigure.PhononDogpileAutoConfiguration
import io.phonon.lock.AlreadyLockedException
import io.phonon.lock.Lease
import io.phonon.lock.LockOptions
import io.phonon.lock.LockService
import io.phonon.lock.ReactiveLease
import java.time.Duration
import java.util.Collections
import java.util.concurrent.atomic.AtomicInteger
import kotlin.coroutines.coroutineContext
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.reactor.ReactorContext
import kotlinx.coroutines.runBlocking
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatExceptionOfType
import org.junit.jupiter.api.Test
import org.springframework.boot.autoconfigure.AutoConfigurations
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration
import org.springframework.boot.test.context.runner.ApplicationContextRunner
import org.springframework.context.annotation.Bean
import org.springframework.context.annotation.Configuration

/**
 * `@Locked` and `@Dogpile` on Kotlin suspend functions, through the auto-configured
 * proxy on the memory engine: Spring's proxy runs the coroutine as a `Mono`, so the lock
 * is held for the call and read from the coroutine's Reactor context.
 */
class SuspendFunctionTests {

    private val runner = ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(PhononAutoConfiguration::class.java,
            PhononDogpileAutoConfiguration::class.java, JacksonAutoConfiguration::class.java))
        .withUserConfiguration(Services::class.java)

    @Test
    fun concurrentCallersOfALockedSuspendFunctionRunOneAtATimeWithIncreasingTokens() {
        runner.run { context ->
            val reports = context.getBean(Reports::class.java)
            val tokens = runBlocking {
                (1..3).map { async(Dispatchers.Default) { reports.slow() } }.awaitAll()
            }
            val inOrder = tokens.sorted()
            assertThat(inOrder).doesNotHaveDuplicates()
            assertThat(reports.history()).containsExactly(
                "enter ${inOrder[0]}", "leave ${inOrder[0]}",
                "enter ${inOrder[1]}", "leave ${inOrder[1]}",
                "enter ${inOrder[2]}", "leave ${inOrder[2]}")
        }
    }

    @Test
    fun aLockedSuspendFunctionCalledInsideAnotherJoinsItsLease() {
        runner.run { context ->
            val tokens = runBlocking { context.getBean(Outer::class.java).both() }
            assertThat(tokens).hasSize(2).containsOnly(tokens[0])
        }
    }

    @Test
    fun cancellingTheCoroutineReleasesTheLock() {
        runner.run { context ->
            val reports = context.getBean(Reports::class.java)
            runBlocking {
                val holder = launch(Dispatchers.Default) { reports.hanging() }
                reports.entered().await()
                holder.cancelAndJoin()
            }
            // The wait is shorter than the hanging function's lease.
            assertThat(context.getBean(LockService::class.java)
                .tryAcquire("report", LockOptions.defaults().withWait(Duration.ofMinutes(1))))
                .hasValueSatisfying(Lease::close)
        }
    }

    @Test
    fun aLockHeldElsewhereSkipsToNullOrThrowsAlreadyLocked() {
        runner.run { context ->
            val reports = context.getBean(Reports::class.java)
            context.getBean(LockService::class.java).acquire("report", LockOptions.defaults()).use {
                assertThat(runBlocking { reports.skipping() }).isNull()
                assertThatExceptionOfType(AlreadyLockedException::class.java)
                    .isThrownBy { runBlocking { reports.throwing() } }
            }
        }
    }

    @Test
    fun concurrentCallersOfADogpiledSuspendFunctionShareOneComputation() {
        runner.run { context ->
            val reports = context.getBean(Reports::class.java)
            val totals = runBlocking {
                (1..6).map { async(Dispatchers.Default) { reports.total("2026-10") } }.awaitAll()
            }
            assertThat(totals).containsOnly(1)
            assertThat(reports.totalRuns()).isEqualTo(1)
        }
    }

    @Configuration(proxyBeanMethods = false)
    open class Services {

        @Bean
        open fun reports() = Reports()

        @Bean
        open fun outer(reports: Reports) = Outer(reports)

    }

    open class Reports {

        private val history = Collections.synchronizedList(ArrayList<String>())

        private val entered = CompletableDeferred<Unit>()

        private val totalRuns = AtomicInteger()

        // Read through the proxy, which has no fields of its own.
        open fun history(): List<String> = history

        open fun entered(): CompletableDeferred<Unit> = entered

        open fun totalRuns(): Int = totalRuns.get()

        @Locked(name = "report", lease = "5m", waitTime = "1m")
        open suspend fun slow(): Long {
            val lease = currentLease()!!
            history.add("enter ${lease.token()}")
            delay(1_000)
            history.add("leave ${lease.token()}")
            return lease.token()
        }

        @Locked(name = "report", waitTime = "0s")
        open suspend fun token(): Long = currentLease()!!.token()

        @Locked(name = "report", lease = "5m")
        open suspend fun hanging() {
            entered.complete(Unit)
            awaitCancellation()
        }

        @Locked(name = "report", onTimeout = OnTimeout.SKIP)
        open suspend fun skipping(): String? = "ran"

        @Locked(name = "report")
        open suspend fun throwing(): String = "ran"

        @Dogpile(name = "totals", key = "#month")
        open suspend fun total(month: String): Int {
            delay(200)
            return totalRuns.incrementAndGet()
        }

    }

    open class Outer(private val reports: Reports) {

        @Locked(name = "report", waitTime = "0s")
        open suspend fun both(): List<Long> = listOf(currentLease()!!.token(), reports.token())

    }

}

/** The lease of the section this coroutine runs in, from its Reactor context. */
private suspend fun currentLease(): Lease? =
    coroutineContext[ReactorContext]?.context?.let { ReactiveLease.current(it) }
