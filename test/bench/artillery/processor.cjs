/**
 * Artillery helpers for deployed-stage.yml: keep retrying the decision while the workflow has not
 * stored its task token yet (409), stop once the decision was accepted (its answer carries
 * `decision`; a problem document does not).
 */
module.exports = {
  notDecided(context, next) {
    return next(context.vars.decided === undefined);
  },
};
