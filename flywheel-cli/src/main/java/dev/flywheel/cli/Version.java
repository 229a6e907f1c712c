package dev.flywheel.cli;

import picocli.CommandLine;

/** {@code flywheel --version}: Flywheel's version and the Java running it. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Version.class.getPackage().getImplementationVersion();
        return new String[]{"flywheel " + (v == null ? "dev" : v), "java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
    }
}
