import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';

import { analyzeDockerfile } from '../../server/src/dockerfile';
import { dockerfileDocumentLinks, imageLink, type DocumentLinkOptions } from '../../server/src/service/documentLinks';

const lines = (...parts: string[]): string => parts.join('\n');

/** Each link as `linked text -> target`. */
function linksOf(text: string, options?: DocumentLinkOptions, uri = 'file:///work/app/Dockerfile'): string[] {
  const document = TextDocument.create(uri, 'dockerfile', 1, text);
  return dockerfileDocumentLinks(document, analyzeDockerfile(text), options).map((link) => `${document.getText(link.range)} -> ${link.target}`);
}

const files = (...paths: string[]): DocumentLinkOptions => {
  const existing = new Set(paths);
  return { fileExists: (path) => existing.has(path) };
};

describe('document links', () => {
  it('links base images to their registry page, without the tag', () => {
    const text = lines(
      'FROM alpine:3.20',
      'FROM library/nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      'FROM bitnami/redis:7.2 AS cache',
      'FROM docker.io/grafana/grafana',
      'FROM --platform=$BUILDPLATFORM ghcr.io/astral-sh/uv:0.4 AS uv',
      'FROM mcr.microsoft.com/dotnet/sdk:8.0',
      'FROM quay.io/prometheus/node-exporter:v1.8.0',
      'FROM gcr.io/distroless/static-debian12:nonroot',
      'FROM public.ecr.aws/lambda/python:3.12',
    );
    assert.deepEqual(linksOf(text), [
      'alpine -> https://hub.docker.com/_/alpine',
      'library/nginx -> https://hub.docker.com/_/nginx',
      'bitnami/redis -> https://hub.docker.com/r/bitnami/redis',
      'docker.io/grafana/grafana -> https://hub.docker.com/r/grafana/grafana',
      'ghcr.io/astral-sh/uv -> https://ghcr.io/astral-sh/uv',
      'mcr.microsoft.com/dotnet/sdk -> https://mcr.microsoft.com/artifact/mar/dotnet/sdk',
      'quay.io/prometheus/node-exporter -> https://quay.io/repository/prometheus/node-exporter',
      'gcr.io/distroless/static-debian12 -> https://gcr.io/distroless/static-debian12',
      'public.ecr.aws/lambda/python -> https://gallery.ecr.aws/lambda/python',
    ]);
  });

  it('skips stage names, scratch, variables and unknown registries', () => {
    const text = lines(
      'ARG BASE=alpine',
      'FROM ${BASE} AS base',
      'FROM base',
      'FROM scratch',
      'FROM $REGISTRY/app:1',
      'FROM localhost:5000/app:1',
      'FROM registry.example.com/team/app',
      'FROM debian:${VERSION}',
    );
    // The last one keeps a link: only its tag is a variable.
    assert.deepEqual(linksOf(text), ['debian -> https://hub.docker.com/_/debian']);
  });

  it('gives the registry page a tooltip', () => {
    const text = 'FROM alpine';
    const document = TextDocument.create('file:///w/Dockerfile', 'dockerfile', 1, text);
    const [link] = dockerfileDocumentLinks(document, analyzeDockerfile(text));
    assert.equal(link!.tooltip, 'Open alpine on Docker Hub');
  });

  it('links an image used by COPY --from, but not a stage', () => {
    const text = lines('FROM golang:1.22 AS build', 'FROM alpine', 'COPY --from=build /out /app', 'COPY --from=0 /out /app', 'COPY --from=nginx:1.27 /etc/nginx /etc/nginx');
    assert.deepEqual(linksOf(text), [
      'golang -> https://hub.docker.com/_/golang',
      'alpine -> https://hub.docker.com/_/alpine',
      'nginx -> https://hub.docker.com/_/nginx',
    ]);
  });

  it('links COPY and ADD sources that exist in the build context', () => {
    const text = lines(
      'FROM scratch',
      'COPY go.mod go.sum ./',
      'COPY ./cmd/app/main.go /src/',
      'ADD config/settings.yaml missing.txt /etc/app/',
      'COPY ["docs/read me.md", "/docs/"]',
      'COPY /etc/hosts "quoted.txt" /x/',
    );
    const options = files('go.mod', 'go.sum', 'cmd/app/main.go', 'config/settings.yaml', 'docs/read me.md', 'etc/hosts', 'quoted.txt', 'missing.txt/');
    assert.deepEqual(linksOf(text, options), [
      'go.mod -> file:///work/app/go.mod',
      'go.sum -> file:///work/app/go.sum',
      './cmd/app/main.go -> file:///work/app/cmd/app/main.go',
      'config/settings.yaml -> file:///work/app/config/settings.yaml',
      'docs/read me.md -> file:///work/app/docs/read%20me.md',
      // Docker reads a leading slash as the root of the build context.
      '/etc/hosts -> file:///work/app/etc/hosts',
      'quoted.txt -> file:///work/app/quoted.txt',
    ]);
  });

  it('resolves sources against the given build context', () => {
    const text = 'FROM scratch\nCOPY app.py /app/';
    assert.deepEqual(linksOf(text, { ...files('app.py'), baseUri: 'file:///work/context/' }), ['app.py -> file:///work/context/app.py']);
    // Without fileExists, sources are never linked (only images).
    assert.deepEqual(linksOf(text), []);
  });

  it('skips globs, URLs, --from copies, heredocs, variables and paths leaving the context', () => {
    const text = lines(
      'FROM alpine AS build',
      'FROM scratch',
      'COPY *.txt /x/',
      'COPY src/[ab].go /x/',
      'ADD https://example.com/file.tar.gz /x/',
      'ADD git@github.com:moby/buildkit.git /x/',
      'COPY --from=build file.txt /x/',
      'COPY <<EOF /x/file.txt',
      'file.txt',
      'EOF',
      'COPY $SRC /x/',
      'COPY ../outside.txt /x/',
      'COPY . /x/',
      'COPY file.txt',
      'ONBUILD COPY file.txt /x/',
    );
    const seen: string[] = [];
    const options: DocumentLinkOptions = {
      fileExists: (path) => {
        seen.push(path);
        return true;
      },
    };
    assert.deepEqual(linksOf(text, options), ['alpine -> https://hub.docker.com/_/alpine']);
    assert.deepEqual(seen, []);
  });

  it('maps image names to registry pages', () => {
    assert.deepEqual(imageLink('index.docker.io/library/ubuntu'), { url: 'https://hub.docker.com/_/ubuntu', tooltip: 'Open ubuntu on Docker Hub' });
    assert.equal(imageLink('us.gcr.io/project/app')?.url, 'https://us.gcr.io/project/app');
    assert.equal(imageLink('ghcr.io/app'), undefined);
    assert.equal(imageLink('${IMAGE}'), undefined);
    assert.equal(imageLink('a//b'), undefined);
    assert.equal(imageLink(''), undefined);
  });

  it('copes with Dockerfiles being typed', () => {
    assert.deepEqual(linksOf(''), []);
    assert.deepEqual(linksOf('FROM'), []);
    assert.deepEqual(linksOf('FROM ghcr.io/'), []);
    assert.deepEqual(linksOf('FROM alpine:'), ['alpine -> https://hub.docker.com/_/alpine']);
    assert.deepEqual(linksOf('FROM alpine\nCOPY --from= a b', files('a')), ['alpine -> https://hub.docker.com/_/alpine']);
    assert.deepEqual(linksOf('FROM alpine\nCOPY a', files('a')), ['alpine -> https://hub.docker.com/_/alpine']);
    assert.deepEqual(linksOf('FROM alpine\nCOPY ["a", "b"', files('a')), ['alpine -> https://hub.docker.com/_/alpine']);
  });
});
