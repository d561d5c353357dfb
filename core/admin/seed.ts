/**
 * A lively demo circle, built only through the product's own functions (the same validation as the
 * API): verified members admitted by the gate NFT or by redeeming each other's invites, profiles
 * with real face photos (portrait crops and mirror images of the source photos, re-encoded by the
 * ML core and passed through the real photo pipeline), signals and matches, open invites, one open
 * report and two upcoming events. Wallets and nullifiers derive from the member's number, so a
 * second run with `force` skips what exists instead of duplicating it.
 */
import type { Clock } from "@/core/clock.ts";
import { ConflictError } from "@/core/errors.ts";
import { createEvent, listEvents } from "@/core/events/mod.ts";
import { bindNullifier, ensureMember, getMember, grantMembership } from "@/core/members.ts";
import {
  addPhoto,
  createProfile,
  type Gender,
  getProfileByWallet,
  type Interest,
  mainPhotoProblem,
  type PhotoMl,
  type PhotoRecordHooks,
  type Profile,
  type Region,
  VIBE_TAGS,
} from "@/core/profiles/mod.ts";
import {
  createInvite,
  hashIp,
  listInvites,
  listReportsInvolving,
  redeemInvite,
  reportMember,
  sendSignal,
} from "@/core/social/mod.ts";
import type { ObjectStore } from "@/core/storage/mod.ts";

/** The ML calls the seed uses: analysis and renditions, plus raw decode/encode for the crops. */
export interface SeedMl extends PhotoMl {
  decodeRgb(bytes: Uint8Array): Promise<{ width: number; height: number; data: Uint8Array }>;
  encodeJpeg(
    data: Uint8Array,
    width: number,
    height: number,
    quality?: number,
  ): Promise<Uint8Array>;
}

/** What the seed needs. */
export interface SeedDeps {
  kv: Deno.Kv;
  clock: Clock;
  objects: ObjectStore;
  ml: SeedMl;
  /** What accepted photos also record (analysis, vectors), as for uploads. */
  photoRecords?: PhotoRecordHooks;
}

/** Options of {@link seedCircle}. */
export interface SeedOptions {
  /** Source photos with faces (JPEG or PNG). */
  sources: Uint8Array[];
  /** How many members (24 by default, at most the number of names). */
  members?: number;
  /** Seed even when the circle already has members (existing seeded records are kept). */
  force?: boolean;
  dryRun?: boolean;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** What a seed run did (or, dry, would do). */
export interface SeedSummary {
  members: number;
  profiles: number;
  photos: number;
  signals: number;
  matches: number;
  openInvites: number;
  reports: number;
  events: number;
  dryRun: boolean;
  /** Wallet and profile id of each seeded member. */
  roster: { name: string; wallet: string; profileId: string | null }[];
}

const NAMES = [
  ["Aurelia", "Trinity College Dublin"],
  ["Bastian", "ETH Zürich"],
  ["Celeste", "Sorbonne Université"],
  ["Dorian", "University of Edinburgh"],
  ["Elodie", "Sciences Po"],
  ["Felix", "TU München"],
  ["Giada", "Università di Bologna"],
  ["Hugo", "KU Leuven"],
  ["Isolde", "University of Oxford"],
  ["Jasper", "University of Cambridge"],
  ["Kaia", "University of Copenhagen"],
  ["Leander", "Universiteit van Amsterdam"],
  ["Mireille", "Sorbonne Université"],
  ["Nikolai", "Charles University"],
  ["Ottilie", "University of Vienna"],
  ["Percival", "Imperial College London"],
  ["Quinn", "Trinity College Dublin"],
  ["Rosalind", "University of Edinburgh"],
  ["Soren", "Lund University"],
  ["Theodora", "ETH Zürich"],
  ["Ulric", "Heidelberg University"],
  ["Vesper", "University of Oxford"],
  ["Wren", "King's College London"],
  ["Xanthe", "Sciences Po"],
  ["Yannick", "KU Leuven"],
  ["Zelda", "Universiteit van Amsterdam"],
] as const;

/**
 * Who each seeded member is and wants to meet, in turn: every one of them is proposed to someone
 * by discovery's two-way rule, and members see different circles.
 */
const MEETING: [gender: Gender, interestedIn: Interest[]][] = [
  ["woman", ["man"]],
  ["man", ["woman"]],
  ["woman", ["everyone"]],
  ["man", ["everyone"]],
  ["non_binary", ["everyone"]],
  ["woman", ["woman", "non_binary"]],
  ["man", ["woman"]],
  ["woman", ["man", "non_binary"]],
];

/** Where seeded members live: a city and its broad region. */
const PLACES: [city: string, region: Region][] = [
  ["Lisbon", "europe"],
  ["Toronto", "north_america"],
  ["São Paulo", "latin_america"],
  ["Lagos", "sub_saharan_africa"],
  ["Singapore", "southeast_asia"],
  ["Seoul", "east_asia"],
  ["Bengaluru", "south_asia"],
  ["Melbourne", "oceania"],
  ["Cairo", "middle_east_north_africa"],
  ["Berlin", "europe"],
];

const BIOS = [
  "Collector of old maps and new ideas. Will trade a good book for a better story.",
  "Mornings on the river, evenings in the library, nights at small jazz clubs.",
  "Studying what makes cities feel alive. Ask me for a walking route.",
  "I cook for friends every Sunday and keep a notebook of the best conversations.",
  "Half engineer, half poet. Mostly curious.",
  "Looking for someone to argue about films with, then agree over dessert.",
];

const PROMPT_ANSWERS: [string, string][] = [
  ["perfect_evening", "Candlelight, a chess board and someone who plays to win."],
  ["secret_talent", "I can name any bird by its song."],
  ["green_flag", "Asking a second question about your answer."],
  ["society_oath", "Keep the secrets, share the wonder."],
  ["last_obsession", "Fermenting hot sauce on my windowsill."],
  ["ask_me_about", "The summer I spent restoring a lighthouse."],
];

/** Members admitted by the gate NFT; everyone else redeems an invite from an earlier member. */
const FOUNDERS = 3;

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

const hex = (bytes: Uint8Array) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

/** The seeded member `n`'s wallet: stable, obviously synthetic. */
export async function seedWallet(n: number): Promise<string> {
  return `0x${hex((await digest(`aurum-seed-member:${n}`)).subarray(0, 20))}`;
}

async function seedNullifier(n: number): Promise<string> {
  const bytes = await digest(`aurum-seed-nullifier:${n}`);
  bytes[0] = 0; // below the field modulus, like a real nullifier
  return `0x${hex(bytes)}`;
}

/** Crops `(x, y, w, h)` out of an RGB image, optionally mirrored. */
function crop(
  img: { width: number; height: number; data: Uint8Array },
  box: { x: number; y: number; w: number; h: number },
  mirror: boolean,
): Uint8Array {
  const out = new Uint8Array(box.w * box.h * 3);
  for (let row = 0; row < box.h; row++) {
    for (let col = 0; col < box.w; col++) {
      const sx = box.x + (mirror ? box.w - 1 - col : col);
      const from = ((box.y + row) * img.width + sx) * 3;
      out.set(img.data.subarray(from, from + 3), (row * box.w + col) * 3);
    }
  }
  return out;
}

/** A 4:5 portrait box around a face, `zoom` face heights tall, clamped inside the image. */
function portraitBox(
  img: { width: number; height: number },
  face: { x: number; y: number; width: number; height: number },
  zoom: number,
) {
  const h = Math.min(img.height, Math.round(face.height * zoom));
  const w = Math.min(img.width, Math.round(h * 0.8));
  const cx = face.x + face.width / 2;
  const cy = face.y + face.height / 2 + face.height * 0.3;
  const x = Math.max(0, Math.min(img.width - w, Math.round(cx - w / 2)));
  const y = Math.max(0, Math.min(img.height - h, Math.round(cy - h / 2)));
  return { x, y, w, h };
}

/** One person's photos per detected face: a close portrait and a wider, mirrored one. */
async function portraits(ml: SeedMl, sources: Uint8Array[]): Promise<Uint8Array[][]> {
  const people: Uint8Array[][] = [];
  for (const source of sources) {
    const analysis = await ml.analyzePhoto(source);
    if (!analysis.faces.length) continue;
    const img = await ml.decodeRgb(source);
    for (const face of analysis.faces) {
      const photos: Uint8Array[] = [];
      for (const [zoom, mirror] of [[2.6, false], [3.4, true]] as const) {
        const box = portraitBox(img, face, zoom);
        if (Math.min(box.w, box.h) < 400) continue;
        const jpeg = await ml.encodeJpeg(crop(img, box, mirror), box.w, box.h, 88);
        // Only crops the photo checks accept as a main photo (one prominent face), so either may
        // lead a gallery.
        const judged = await ml.analyzePhoto(jpeg);
        if (judged.faces.length && !mainPhotoProblem(judged.faces, judged.width, judged.height)) {
          photos.push(jpeg);
        }
      }
      if (photos.length) people.push(photos);
    }
  }
  return people;
}

/** True when the circle has at least one member. */
export async function circleHasMembers(kv: Deno.Kv): Promise<boolean> {
  for await (const _ of kv.list({ prefix: ["members"] }, { limit: 1 })) return true;
  return false;
}

/** Seeds the demo circle (ConflictError `circle_not_empty` on a circle with members, unless `force`). */
export async function seedCircle(deps: SeedDeps, options: SeedOptions): Promise<SeedSummary> {
  const { kv, clock } = deps;
  const log = options.log ?? (() => {});
  const count = Math.min(options.members ?? 24, NAMES.length);
  if (!options.force && await circleHasMembers(kv)) {
    throw new ConflictError(
      "circle_not_empty",
      "The circle already has members; pass --force to seed alongside them.",
    );
  }
  const people = await portraits(deps.ml, options.sources);
  if (!people.length) throw new ConflictError("seed_no_faces", "No source photo has a face.");
  const wallets = await Promise.all(Array.from({ length: count }, (_, n) => seedWallet(n)));
  const pairs = signalPlan(count);
  const summary: SeedSummary = {
    members: count,
    profiles: count,
    photos: Array.from({ length: count }, (_, n) => n % 3 === 0 ? 2 : 1)
      .reduce((sum, photos, n) => sum + Math.min(photos, people[n % people.length].length), 0),
    signals: pairs.length,
    matches: pairs.filter(([, , mutual]) => mutual).length / 2,
    openInvites: FOUNDERS,
    reports: 1,
    events: 2,
    dryRun: Boolean(options.dryRun),
    roster: [],
  };
  if (options.dryRun) {
    summary.roster = wallets.map((wallet, n) => ({ name: NAMES[n][0], wallet, profileId: null }));
    return summary;
  }

  const now = clock.now();
  const ipHash = await hashIp("127.0.0.1", "aurum-circle-demo-seed");
  const year = new Date(now).getUTCFullYear();
  const profiles: Profile[] = [];
  for (let n = 0; n < count; n++) {
    const wallet = wallets[n];
    await ensureMember(kv, clock, wallet);
    await bindNullifier(kv, clock, wallet, {
      nullifierHash: await seedNullifier(n),
      verificationLevel: n % 4 === 0 ? "device" : "orb",
    });
    const member = await getMember(kv, wallet);
    if (!member?.membership.admitted) {
      if (n < FOUNDERS) {
        await grantMembership(kv, clock, wallet, { via: "gate_nft" });
      } else {
        const inviter = wallets[(n - FOUNDERS) % n];
        const invite = await createInvite(kv, clock, inviter);
        await redeemInvite(kv, clock, { code: invite.code, claimantWallet: wallet, ipHash });
      }
    }
    const [name, university] = NAMES[n];
    let profile = await getProfileByWallet({ kv, clock }, wallet);
    if (!profile) {
      const prompts = [PROMPT_ANSWERS[n % 6], PROMPT_ANSWERS[(n + 2) % 6]]
        .map(([promptId, answer]) => ({ promptId, answer }));
      profile = await createProfile({ kv, clock }, wallet, {
        displayName: name,
        dateOfBirth: `${year - 20 - (n % 9)}-${String((n % 12) + 1).padStart(2, "0")}-${
          String((n % 27) + 1).padStart(2, "0")
        }`,
        university,
        graduationYear: year - 2 + (n % 6),
        gender: MEETING[n % MEETING.length][0],
        interestedIn: MEETING[n % MEETING.length][1],
        city: PLACES[n % PLACES.length][0],
        region: PLACES[n % PLACES.length][1],
        vibeTags: [0, 7, 15, 23].slice(0, 3 + (n % 2)).map((k) =>
          VIBE_TAGS[(n * 5 + k) % VIBE_TAGS.length]
        ),
        bio: BIOS[n % BIOS.length],
        prompts,
        contactHandle: `@${name.toLowerCase()}.circle`,
        hidden: n === count - 1,
      });
    }
    if (!profile.photos.length) {
      const photos = people[n % people.length].slice(0, n % 3 === 0 ? 2 : 1);
      for (const bytes of photos) {
        profile = (await addPhoto({ ...deps, kv, clock }, {
          profileId: profile.id,
          wallet,
          bytes,
          contentType: "image/jpeg",
        })).profile;
      }
    }
    profiles.push(profile);
    summary.roster.push({ name, wallet, profileId: profile.id });
    log(`member ${n + 1}/${count}: ${name} (${profile.id}), ${profile.photos.length} photo(s)`);
  }

  for (const [from, to] of pairs) {
    await sendSignal(kv, clock, { from: wallets[from], to: wallets[to] });
  }
  for (let n = 0; n < FOUNDERS; n++) {
    const invites = await listInvites(kv, wallets[n], clock);
    if (!invites.some((invite) => invite.status === "active")) {
      await createInvite(kv, clock, wallets[n]);
    }
  }
  const { filed } = await listReportsInvolving(kv, wallets[1]);
  if (!filed.some((report) => report.reported === wallets[count - 2])) {
    await reportMember(kv, clock, {
      reporter: wallets[1],
      reported: wallets[count - 2],
      reason: "spam",
      text: "Sent me the same link to a token sale three times.",
    });
  }
  const existing = new Set(
    (await listEvents(kv, clock, { when: "upcoming", limit: 100 })).values.map((event) =>
      event.name
    ),
  );
  const day = 24 * 60 * 60 * 1000;
  const start = Math.ceil(now / day) * day;
  const events = [
    {
      name: "Midnight Salon",
      description: "Candles, string quartet and a debate on the ethics of secrets.",
      venue: "The Old Library, 3 Quay Street (ring twice)",
      venueHoldersOnly: true,
      startsAt: start + 7 * day + 20 * 60 * 60 * 1000,
      endsAt: start + 7 * day + 23 * 60 * 60 * 1000,
      maxTickets: 40,
      price: null,
    },
    {
      name: "The Lantern Ball",
      description: "Masks required. Dress code: gold.",
      venue: "The Glasshouse, Botanic Gardens",
      startsAt: start + 21 * day + 21 * 60 * 60 * 1000,
      endsAt: start + 22 * day + 2 * 60 * 60 * 1000,
      maxTickets: 120,
      price: { token: "WLD" as const, amount: "2000000000000000000" },
    },
  ];
  for (const event of events) {
    if (!existing.has(event.name)) await createEvent(kv, clock, event);
  }
  return summary;
}

/**
 * Who signals whom, `[from, to, mutual]`: members 0+1, 4+5, 8+9… match (one signal each way), and
 * every third member signals someone a few places on; the hidden last member is left alone.
 */
function signalPlan(count: number): [number, number, boolean][] {
  const visible = count - 1;
  const plan: [number, number, boolean][] = [];
  const taken = new Set<string>();
  const add = (from: number, to: number, mutual: boolean) => {
    if (from === to || taken.has(`${from}>${to}`) || taken.has(`${to}>${from}`)) return;
    taken.add(`${from}>${to}`);
    plan.push([from, to, mutual]);
    if (mutual) plan.push([to, from, mutual]);
  };
  for (let n = 0; n + 1 < visible; n += 4) add(n, n + 1, true);
  for (let n = 2; n < visible; n += 3) add(n, (n + 5) % visible, false);
  return plan;
}
