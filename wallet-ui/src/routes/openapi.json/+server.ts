import { json } from '@sveltejs/kit'
import { openApiDocument } from '$lib/server/openapi'
import { walletConfig } from '$lib/server/config'
import type { RequestHandler } from './$types'

export const GET: RequestHandler = () => json(openApiDocument(walletConfig().publicUrl))
