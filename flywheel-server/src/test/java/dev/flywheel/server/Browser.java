package dev.flywheel.server;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;

/**
 * A real headless Chromium from Debian's {@code chromium} and {@code chromium-driver} packages (never a downloaded
 * browser). Tests using it are skipped, saying why, where those packages are not installed; CI installs them.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of(System.getProperty("flywheel.chromium", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("flywheel.chromedriver", "/usr/bin/chromedriver"));
    final ChromeDriver driver;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    static void assumeInstalled() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
        String why = "Debian's chromium and chromium-driver are not installed (" + CHROMIUM + ", " + DRIVER
                + "); install them with: apt-get install -y chromium chromium-driver";
        if (!installed && "1".equals(System.getenv("FLYWHEEL_REQUIRE_CHROMIUM"))) {
            throw new AssertionError("FLYWHEEL_REQUIRE_CHROMIUM=1 (CI) but " + why);
        }
        Assumptions.assumeTrue(installed, "browser tests skipped: " + why);
    }

    static Browser start(int width, int height) {
        assumeInstalled();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--window-size=" + width + "," + height);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(width, height));
        return new Browser(driver);
    }

    void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** Saves a PNG of the page under {@code target/screenshots/NAME.png}. */
    Path screenshot(String name) {
        Path dir = Path.of("target", "screenshots");
        try {
            Files.createDirectories(dir);
            File png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Path to = dir.resolve(name + ".png");
            Files.copy(png.toPath(), to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
