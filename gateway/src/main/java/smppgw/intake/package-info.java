/**
 * Everything an integrator offers goes through here: validation, E.164, routing, backpressure, and the acceptance rule
 * ({@link smppgw.intake.AcceptRule}: idempotency, cap, promo code, send time; pure). Intake imports store (interface), policy,
 * track, text, route, model, config; the rule only model, state, policy, track.
 */
package smppgw.intake;
