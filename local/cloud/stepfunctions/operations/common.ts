import { z } from 'zod';

/** Fields several operations share, with the API reference's limits. */
export const Arn = z.string().min(1).max(2048);
export const MaxResults = z.number().int().min(0).max(1000).optional();
export const NextToken = z.string().min(1).max(1024).optional();
