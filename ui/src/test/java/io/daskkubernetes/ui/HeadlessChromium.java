package io.daskkubernetes.ui;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium, headless, driven through Debian's chromedriver (no Selenium Manager, no
 * download). Closing it quits the browser and then ends, by process handle, whatever the
 * chromedriver this started still has running: never processes found by name.
 */
final class HeadlessChromium implements AutoCloseable {

    static final File CHROMIUM = new File("/usr/bin/chromium");
    static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

    private final ChromeDriverService service;
    private final ProcessHandle chromedriver;
    private final ChromeDriver driver;

    HeadlessChromium(Path profile) throws IOException {
        Set<Long> childrenBefore = children();
        service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(CHROMEDRIVER)
                        .usingAnyFreePort()
                        .build();
        service.start();
        // The chromedriver process is the one new child of this JVM with that executable.
        chromedriver =
                ProcessHandle.current()
                        .children()
                        .filter(p -> !childrenBefore.contains(p.pid()))
                        .filter(
                                p ->
                                        p.info()
                                                .command()
                                                .map(c -> c.endsWith("chromedriver"))
                                                .orElse(false))
                        .findFirst()
                        .orElseThrow(() -> new IllegalStateException("chromedriver did not start"));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments(
                "--headless=new",
                // the tests run as root, where chromium's sandbox cannot work
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--window-size=1400,1100",
                "--user-data-dir=" + profile);
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            stopDriverProcesses();
            throw e;
        }
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    ChromeDriver driver() {
        return driver;
    }

    private static Set<Long> children() {
        return ProcessHandle.current()
                .children()
                .map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }

    @Override
    public void close() {
        // Taken first: once chromedriver is gone, a browser it left would no longer be its child.
        List<ProcessHandle> started = chromedriver.descendants().toList();
        try {
            driver.quit();
        } finally {
            stop(started);
        }
    }

    private void stopDriverProcesses() {
        stop(chromedriver.descendants().toList());
    }

    private void stop(List<ProcessHandle> started) {
        service.stop();
        chromedriver.destroyForcibly();
        started.forEach(ProcessHandle::destroyForcibly);
        chromedriver.onExit().orTimeout(10, TimeUnit.SECONDS).join();
        for (ProcessHandle process : started) {
            process.onExit().orTimeout(10, TimeUnit.SECONDS).join();
        }
    }
}
