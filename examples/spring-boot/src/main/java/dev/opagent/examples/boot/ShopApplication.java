package dev.opagent.examples.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A shop's marketing service on the opagent starter: {@code application.yml} configures the segment
 * agent, the operating store and the channel; {@link CustomerController} segments customers and
 * runs rounds of the loop; the actuator reports opagent's health, its metrics and the approvals
 * waiting for a decision.
 */
@SpringBootApplication
public class ShopApplication {

  public static void main(String[] args) {
    SpringApplication.run(ShopApplication.class, args);
  }
}
