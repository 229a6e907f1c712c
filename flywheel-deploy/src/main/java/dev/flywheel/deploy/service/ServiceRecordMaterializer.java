package dev.flywheel.deploy.service;

import dev.flywheel.sdk.spi.Materializer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Stores a {@link ServiceRecord} a step returns as JSON, so a later step (or run) can take the service as input. */
public final class ServiceRecordMaterializer implements Materializer<ServiceRecord> {
    @Override
    public Class<ServiceRecord> type() {
        return ServiceRecord.class;
    }

    @Override
    public String format() {
        return "service-record-v1";
    }

    @Override
    public void write(ServiceRecord value, OutputStream out) throws IOException {
        out.write(ServiceJson.MAPPER.writeValueAsBytes(ServiceJson.record(value)));
    }

    @Override
    public ServiceRecord read(InputStream in, Class<? extends ServiceRecord> type) throws IOException {
        return ServiceJson.record(ServiceJson.MAPPER.readTree(in.readAllBytes()));
    }
}
