/**
 * Loads every API handler; each registers itself in the registry as its module loads. Adding an
 * API = adding its file here.
 */
import './00-produce.js'
import './01-fetch.js'
import './02-list-offsets.js'
import './03-metadata.js'
import './08-offset-commit.js'
import './09-offset-fetch.js'
import './18-api-versions.js'
import './19-create-topics.js'
import './20-delete-topics.js'
import './21-delete-records.js'
import './23-offset-for-leader-epoch.js'
import './32-describe-configs.js'
import './33-alter-configs.js'
import './37-create-partitions.js'
import './44-incremental-alter-configs.js'
import './47-offset-delete.js'
