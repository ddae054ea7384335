import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { generateValidation, validation } from "../generators/validation.js";
import { loadSpec, repoRoot } from "../lib/repo.js";

const outDir = validation.outDir;
const packageSrc = join(repoRoot, "packages/validation/src");

type Result = { ok: boolean; issues?: Array<{ message: string }> };
type ValidateModule = Record<string, (value: unknown, path?: string) => Result>;

const scratchDirs: string[] = [];
afterAll(async () => {
  for (const dir of scratchDirs) await rm(dir, { recursive: true, force: true });
});

/**
 * Runs the validation generator on a spec edited in memory and lays its output
 * out like the package (next to the package's handwritten sources), in a
 * temporary folder, so the produced modules can be loaded and called.
 */
async function generateFrom(edit: (schemas: Record<string, Record<string, unknown>>) => void): Promise<string> {
  const spec = await loadSpec();
  const document = structuredClone(spec.document) as { components: { schemas: Record<string, Record<string, unknown>> } };
  edit(document.components.schemas);
  const files = generateValidation({ ...spec, document }, outDir);
  const dir = await mkdtemp(join(tmpdir(), "validation-generator-"));
  scratchDirs.push(dir);
  await cp(packageSrc, join(dir, "src"), { recursive: true, filter: (src) => !src.includes("/generated") });
  for (const file of files) {
    const target = join(dir, "src", file.path.slice("packages/validation/src/".length));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.content);
  }
  return join(dir, "src/generated");
}

async function load(dir: string, file: string): Promise<ValidateModule> {
  return (await import(pathToFileURL(join(dir, file)).href)) as ValidateModule;
}

const INSTANCE = "c865f921f3dd45198f209a607533a779in12";
const NODE_STYLE = "c865f921f3dd45198f209a607533a779no12";

describe("the validation generator follows the spec", () => {
  it("changing the instance ID pattern in a copy of the spec changes the generated validator, with no other edit", async () => {
    const original = await generateFrom(() => {});
    const changed = await generateFrom((schemas) => {
      (schemas.InstanceId as Record<string, unknown>).pattern = "^[0-9a-f]{32}(in|no)[0-9]{2}$";
    });

    const before = await load(original, "validate-instance-id.gen.ts");
    const after = await load(changed, "validate-instance-id.gen.ts");
    expect(before.validateInstanceId?.(INSTANCE).ok).toBe(true);
    expect(after.validateInstanceId?.(INSTANCE).ok).toBe(true);
    expect(before.validateInstanceId?.(NODE_STYLE).ok).toBe(false);
    expect(after.validateInstanceId?.(NODE_STYLE).ok).toBe(true);

    // The words follow the pattern too.
    const message = after.validateInstanceId?.("c865f921f3dd45198f209a607533a779ni12").issues?.[0]?.message;
    expect(message).toContain(`either "in" or "no"`);

    // So does the operation's input object, built from the same schema.
    const input = await load(changed, "validate-close-instance-sessions-input.gen.ts");
    expect(input.validateCloseInstanceSessionsInput?.({ projectId: "619d3e78f61b4be68bc5aa0b59edcf7b", instanceId: NODE_STYLE }).ok).toBe(
      true,
    );

    // And the Ajv module alone, loaded as plain JavaScript.
    const compiled = await import(pathToFileURL(join(changed, "validators.gen.js")).href);
    expect(compiled.instanceId(NODE_STYLE)).toBe(true);
    expect(compiled.instanceId("a/b")).toBe(false);
  });

  it("changing a length limit changes the check and the message", async () => {
    const changed = await generateFrom((schemas) => {
      (schemas.AccessKey as Record<string, unknown>).maxLength = 8;
    });
    const module = await load(changed, "validate-access-key.gen.ts");
    expect(module.validateAccessKey?.("ABCDEFGH").ok).toBe(true);
    expect(module.validateAccessKey?.("ABCDEFGHI").issues?.[0]?.message).toBe(
      "AccessKey: must be at most 8 characters long (got 9 characters)",
    );
  });

  it("a schema marked x-secret is never quoted", async () => {
    const changed = await generateFrom((schemas) => {
      (schemas.AccessKey as Record<string, unknown>)["x-secret"] = true;
    });
    const module = await load(changed, "validate-access-key.gen.ts");
    expect(module.validateAccessKey?.("HPUA/EXAMPLE").issues?.[0]?.message).toBe(
      "AccessKey: contains a character at position 5, which is not allowed in an access key ID (AK)",
    );
  });

  it("fails loudly on a keyword it cannot compile without run-time code (format)", async () => {
    await expect(
      generateFrom((schemas) => {
        (schemas.ProjectId as Record<string, unknown>).format = "uuid";
      }),
    ).rejects.toThrow(/format|ajv-formats|unknown format/i);
  });
});

describe("no generated validator evaluates code at run time", () => {
  it("neither the committed files nor a fresh generation contain new Function or eval(", async () => {
    const dir = join(repoRoot, outDir);
    const committed = (await readdir(dir)).filter((f) => f.endsWith(".ts") || f.endsWith(".js"));
    expect(committed).toContain("validators.gen.js");
    for (const file of committed) {
      const code = await readFile(join(dir, file), "utf8");
      expect(code, file).not.toMatch(/new Function|\beval\(/);
    }
    for (const file of generateValidation(await loadSpec(), outDir))
      expect(file.content, file.path).not.toMatch(/new Function|\beval\(|require\(/);
  });
});
