-- One database per service: services never read each other's tables.
CREATE DATABASE etnik_registration;
CREATE DATABASE etnik_hubs;
CREATE DATABASE etnik_scheduling;
CREATE DATABASE etnik_notifications;
