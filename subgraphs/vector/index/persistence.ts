import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { errors } from '../../../core/errors/index.js';
import { Bm25Index, type Bm25Snapshot } from './bm25.js';
import { VectorCollection, type StoredDocument } from './collection.js';
import { HnswGraph } from './hnsw.js';
import type { CollectionOptions, Metadata } from './types.js';

/**
 * A saved collection is a folder with a `CURRENT` file naming its live version sub-folder:
 *
 *   CURRENT            "v000002"
 *   v000002/manifest.json, documents.jsonl, vectors.f32, postings.json, [hnsw.bin]
 *
 * A save writes a new version folder completely, then replaces `CURRENT` by an atomic rename, so a
 * save interrupted at any step leaves `CURRENT` naming the previous, complete version.
 */
export const PERSISTENCE_FORMAT_VERSION = 1;
const CURRENT_FILE = 'CURRENT';
const VERSION_PATTERN = /^v(\d{6})$/;

export type SaveStep = 'documents' | 'vectors' | 'postings' | 'graph' | 'manifest' | 'switch';

interface Manifest {
  readonly formatVersion: number;
  readonly options: CollectionOptions;
  readonly documentCount: number;
  readonly hasGraph: boolean;
}

interface DocumentLine {
  readonly slot: number;
  readonly id: string;
  readonly contentHash: string;
  readonly text: string;
  readonly metadata: Metadata;
}


/**
 * Saves a collection into a new version sub-folder of `directory` and makes it current.
 * `onStep` is called before each step, for progress reports. Returns the version's name.
 */
export function saveCollection(collection: VectorCollection, directory: string, onStep?: (step: SaveStep) => void): string {
  mkdirSync(directory, { recursive: true });
  const previous = readCurrentVersion(directory);
  const version = nextVersionName(directory);
  const versionDirectory = join(directory, version);
  mkdirSync(versionDirectory);

  const documents = collection.documents();
  onStep?.('documents');
  writeFileDurably(join(versionDirectory, 'documents.jsonl'), documents.map(toDocumentLine).join(''));
  onStep?.('vectors');
  writeFileDurably(join(versionDirectory, 'vectors.f32'), encodeVectors(documents, collection.options.dimension));
  onStep?.('postings');
  const { keywordIndex, graph } = collection.indexes();
  writeFileDurably(join(versionDirectory, 'postings.json'), JSON.stringify(keywordIndex.toSnapshot()));
  onStep?.('graph');
  graph?.write(join(versionDirectory, 'hnsw.bin'));
  onStep?.('manifest');
  const manifest: Manifest = {
    formatVersion: PERSISTENCE_FORMAT_VERSION,
    options: collection.options,
    documentCount: documents.length,
    hasGraph: graph !== undefined,
  };
  writeFileDurably(join(versionDirectory, 'manifest.json'), JSON.stringify(manifest, null, 2));

  onStep?.('switch');
  writeFileDurably(join(directory, `${CURRENT_FILE}.tmp`), `${version}\n`);
  renameSync(join(directory, `${CURRENT_FILE}.tmp`), join(directory, CURRENT_FILE));
  removeOtherVersions(directory, [version, previous]);
  return version;
}

/** Opens the current version of a saved collection; throws `VECTOR_INDEX_INVALID` naming a missing or inconsistent file. */
export function openCollection(directory: string): VectorCollection {
  const version = readCurrentVersion(directory);
  if (version === undefined) {
    throw errors.VECTOR_INDEX_INVALID.error(`Vector index folder ${directory} has no ${CURRENT_FILE} file; save a collection into it first.`);
  }
  const versionDirectory = join(directory, version);
  const manifest = readManifest(join(versionDirectory, 'manifest.json'));
  const { dimension } = manifest.options;

  const lines = readRequiredFile(join(versionDirectory, 'documents.jsonl')).toString('utf8').split('\n').filter((line) => line !== '');
  const vectorsFile = join(versionDirectory, 'vectors.f32');
  const vectors = readRequiredFile(vectorsFile);
  if (lines.length !== manifest.documentCount || vectors.length !== lines.length * dimension * 4) {
    throw errors.VECTOR_INDEX_INVALID.error(
      `Vector index file ${vectorsFile} has ${vectors.length} bytes for ${lines.length} documents, but the manifest describes ${manifest.documentCount} documents of dimension ${dimension}.`,
    );
  }
  const documents = lines.map((line, row) => fromDocumentLine(JSON.parse(line) as DocumentLine, decodeVector(vectors, row, dimension)));
  const postings = JSON.parse(readRequiredFile(join(versionDirectory, 'postings.json')).toString('utf8')) as Bm25Snapshot;
  const graph = manifest.hasGraph ? readGraph(join(versionDirectory, 'hnsw.bin'), manifest.options) : undefined;

  const collection = new VectorCollection(manifest.options);
  collection.restore(documents, Bm25Index.fromSnapshot(postings), graph);
  return collection;
}

function readCurrentVersion(directory: string): string | undefined {
  const file = join(directory, CURRENT_FILE);
  if (!existsSync(file)) {
    return undefined;
  }
  const version = readFileSync(file, 'utf8').trim();
  if (!VERSION_PATTERN.test(version)) {
    throw errors.VECTOR_INDEX_INVALID.error(`Vector index file ${file} names "${version}", which is not a version folder such as v000001.`);
  }
  return version;
}

/** Numbers past every existing folder, including one left by an interrupted save. */
function nextVersionName(directory: string): string {
  const numbers = readdirSync(directory).map((name) => VERSION_PATTERN.exec(name)?.[1]).filter((match) => match !== undefined).map(Number);
  const next = Math.max(0, ...numbers) + 1;
  return `v${String(next).padStart(6, '0')}`;
}

function removeOtherVersions(directory: string, keep: ReadonlyArray<string | undefined>): void {
  for (const name of readdirSync(directory)) {
    if (VERSION_PATTERN.test(name) && !keep.includes(name)) {
      rmSync(join(directory, name), { recursive: true, force: true });
    }
  }
}

function writeFileDurably(file: string, content: string | Buffer): void {
  const descriptor = openSync(file, 'w');
  try {
    writeSync(descriptor, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}

function readRequiredFile(file: string): Buffer {
  if (!existsSync(file)) {
    throw errors.VECTOR_INDEX_INVALID.error(`Vector index file ${file} is missing.`);
  }
  return readFileSync(file);
}

function readManifest(file: string): Manifest {
  const manifest = JSON.parse(readRequiredFile(file).toString('utf8')) as Manifest;
  if (manifest.formatVersion !== PERSISTENCE_FORMAT_VERSION) {
    throw errors.VECTOR_INDEX_INVALID.error(
      `Vector index file ${file} has format version ${manifest.formatVersion}, but this build reads version ${PERSISTENCE_FORMAT_VERSION}.`,
    );
  }
  return manifest;
}

function readGraph(file: string, options: CollectionOptions): HnswGraph {
  readRequiredFile(file);
  return HnswGraph.read(file, options.dimension, options.hnsw);
}

function toDocumentLine(document: StoredDocument): string {
  const line: DocumentLine = {
    slot: document.slot,
    id: document.id,
    contentHash: document.contentHash,
    text: document.text,
    metadata: document.metadata,
  };
  return `${JSON.stringify(line)}\n`;
}

function fromDocumentLine(line: DocumentLine, vector: Float32Array): StoredDocument {
  return { ...line, vector };
}

/** Encodes the vectors as little-endian Float32 rows, in document order. */
function encodeVectors(documents: readonly StoredDocument[], dimension: number): Buffer {
  const buffer = Buffer.alloc(documents.length * dimension * 4);
  documents.forEach((document, row) => {
    for (let i = 0; i < dimension; i += 1) {
      buffer.writeFloatLE(document.vector[i], (row * dimension + i) * 4);
    }
  });
  return buffer;
}

function decodeVector(buffer: Buffer, row: number, dimension: number): Float32Array {
  const vector = new Float32Array(dimension);
  for (let i = 0; i < dimension; i += 1) {
    vector[i] = buffer.readFloatLE((row * dimension + i) * 4);
  }
  return vector;
}
