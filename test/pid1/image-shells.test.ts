// The base-image shell table (src/core/model/image-shells.ts): /bin/sh and bash generation per image (facts A10,
// A13, A22; issue 11 items 1 and 8). What each shell does as PID 1 is measured in docs/evidence/runtime-shells.md;
// this pins which shell each image is taken to have.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { shellsOfImage } from '../../src/core/model/images.js';

const cases: [image: string, sh: string, bash: string][] = [
  ['debian:12', 'dash', '5.1+'],
  ['debian:10', 'dash', '≤5.0'],
  ['python:3.9-slim-buster', 'dash', '≤5.0'],
  ['ubuntu:20.04', 'dash', '≤5.0'],
  ['ubuntu:24.04', 'dash', '5.1+'],
  ['node:20', 'dash', '5.1+'],
  ['alpine:3.20', 'busybox', '5.1+'],
  ['alpine:3.12', 'busybox', '≤5.0'],
  ['registry.access.redhat.com/ubi8/nodejs-18', 'bash', '≤5.0'],
  ['registry.access.redhat.com/ubi9/ubi-minimal', 'bash', '5.1+'],
  ['redhat/ubi8', 'bash', '≤5.0'],
  ['rockylinux:8', 'bash', '≤5.0'],
  ['quay.io/centos/centos:stream9', 'bash', '5.1+'],
  ['centos:7', 'bash', '≤5.0'],
  ['amazonlinux:2', 'bash', '≤5.0'],
  ['amazonlinux:2023', 'bash', '5.1+'],
  ['amazoncorretto:17', 'bash', '≤5.0'],
  ['amazoncorretto:17-al2023', 'bash', '5.1+'],
  ['amazoncorretto:17-alpine', 'busybox', '5.1+'],
  // item 8: shell-less images
  ['scratch', 'none', 'unknown'],
  ['gcr.io/distroless/static-debian12', 'none', 'unknown'],
  ['gcr.io/distroless/base:debug', 'busybox', 'unknown'],
  ['mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled', 'none', 'unknown'],
  ['mcr.microsoft.com/dotnet/runtime-deps:8.0-noble-chiseled-extra', 'none', 'unknown'],
  ['mcr.microsoft.com/dotnet/aspnet:8.0-azurelinux3.0-distroless', 'none', 'unknown'],
  ['mcr.microsoft.com/dotnet/aspnet:8.0-cbl-mariner2.0-distroless', 'none', 'unknown'],
  ['mcr.microsoft.com/dotnet/aspnet:8.0-azurelinux3.0', 'bash', '5.1+'],
  ['mcr.microsoft.com/dotnet/aspnet:8.0', 'dash', '5.1+'],
  ['ubuntu/dotnet-aspnet:8.0-24.04_stable', 'none', 'unknown'],
  ['cgr.dev/chainguard/node:latest', 'none', 'unknown'],
  ['cgr.dev/chainguard/python:latest-dev', 'busybox', 'unknown'],
  ['cgr.dev/chainguard/wolfi-base', 'busybox', 'unknown'],
  // unknown images are said to be unknown, not guessed
  ['registry.example.com/base:1', 'unknown', 'unknown'],
];

describe('base image shells', () => {
  for (const [image, sh, bash] of cases) {
    it(`${image}: /bin/sh ${sh}, bash ${bash}`, () => {
      const shells = shellsOfImage(image);
      assert.deepEqual([shells.sh, shells.bash], [sh, bash]);
    });
  }
});
