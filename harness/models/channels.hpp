#pragma once
/// Include where a workload body uses `M::Channel<T>` of the stackful models: it completes every model's
/// channel type. (model.hpp only names the channels, so oneTBB's queue header stays out of the translation
/// units that never use a channel.)

#include "harness/models/blocking_channel.hpp"
#include "harness/models/tbb_channel.hpp"
