/**
 * A host application that is itself a module: it reads the opagent modules by their names. The
 * segment client is an explicit module (its requires transitive bring Jackson and the AWS SDK); the
 * others are automatic modules, so the host requires each one it uses.
 */
module com.example.host.modular {
  requires dev.opagent.segment;
  requires dev.opagent.rules;
  requires dev.opagent.agent;
  requires dev.opagent.agent.tools;
  requires dev.opagent.store;
}
