import { ASSUMPTION, assumptionProblem, markedObjects, objectsNeedingProvenance, SOURCE, sourceProblem } from "../lib/provenance.js";

/**
 * Every catalog entry and every operation says where its facts come from
 * (`x-source`) or why it is the project's modelling (`x-assumption`), and
 * every marker anywhere is well formed: `x-source` absolute https URL(s),
 * `x-assumption` a non-empty one-line reason.
 */
export function provenance() {
  return {
    Root: {
      leave(root, ctx) {
        for (const { path, node, what } of objectsNeedingProvenance(root)) {
          if (SOURCE in node || ASSUMPTION in node) continue;
          ctx.report({
            message: `${what} has neither x-source (the public page it comes from) nor x-assumption (why it is the project's own modelling).`,
            location: ctx.location.child(path).key(),
          });
        }
        for (const marked of markedObjects(root)) {
          const at = ctx.location.child(marked.path);
          const sourceIssue = marked.hasSource ? sourceProblem(marked.source) : undefined;
          if (sourceIssue) ctx.report({ message: `${sourceIssue}.`, location: at.child([SOURCE]) });
          const assumptionIssue = marked.hasAssumption ? assumptionProblem(marked.assumption) : undefined;
          if (assumptionIssue) ctx.report({ message: `${assumptionIssue}.`, location: at.child([ASSUMPTION]) });
        }
      },
    },
  };
}
