package dev.flywheel.deploy.service;

/** What the user asked a service to be; a supervisor and the deployer reconcile the observed status towards it. */
public enum DesiredState {
    RUNNING, STOPPED
}
